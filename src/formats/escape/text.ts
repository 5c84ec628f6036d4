/** Words of neither whitespace nor control characters, one space apart: what oneLine returns unchanged. */
const ALREADY_ONE_LINE = /^(?:[^\s\u0000-\u001f\u007f]+(?: [^\s\u0000-\u001f\u007f]+)*)?$/;

/** Collapses all line breaks and control characters to single spaces and trims. */
export function oneLine(text: unknown): string {
  if (text === undefined || text === null) return '';
  const string = String(text);
  // Most spec text is one line already: test it in one pass instead of rebuilding it (docs/performance.md).
  if (ALREADY_ONE_LINE.test(string)) return string;
  // eslint-disable-next-line no-control-regex
  return string
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
