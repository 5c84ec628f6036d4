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

/**
 * Characters a terminal acts on instead of printing: C0 controls but tab and line feed (ESC starts
 * colour, cursor, title and clipboard sequences), DEL, C1 controls (U+009B is a CSI on some
 * terminals), the line and paragraph separators and the bidirectional overrides (text that reads
 * otherwise than it is).
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Spec text on a terminal (and in logs read with one): every character a terminal would act on
 * becomes U+FFFD, one for one, so a quoted source line keeps its columns under the caret.
 */
export function terminalText(text: unknown): string {
  const string = String(text ?? '');
  TERMINAL_ACTIVE.lastIndex = 0;
  return TERMINAL_ACTIVE.test(string) ? string.replace(TERMINAL_ACTIVE, '\uFFFD') : string;
}
