/** Collapses all line breaks and control characters to single spaces and trims. */
export function oneLine(text: unknown): string {
  if (text === undefined || text === null) return '';
  // eslint-disable-next-line no-control-regex
  return String(text)
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
