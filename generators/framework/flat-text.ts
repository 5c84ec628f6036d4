/**
 * The same text as one flat string. A rendered file is a rope of small pieces (templates and view
 * code append piece by piece), several times the size of its text; every target is rendered before
 * anything is written, so with `--target all` the ropes of every file added up (docs/performance.md).
 * Converting a string to a number makes V8 flatten it in place, which frees the pieces now rather
 * than when the file is finally hashed or written. The text is unchanged.
 */
export function flatText(text: string): string {
  Number(text);
  return text;
}
