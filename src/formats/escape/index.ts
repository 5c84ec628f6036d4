/**
 * The one home of escaping: spec text (names, descriptions, board names) is data written by someone
 * else, and each output context has exactly one function here that makes it inert there. Generators,
 * exporters and reports all escape through these. Identifiers are checked, not escaped
 * (generators/framework/identifiers.ts).
 */
export { oneLine, terminalText } from './text.ts';
export { htmlText, markupComment } from './markup.ts';
export { mdText } from './markdown.ts';
export { cComment, cString, tsComment, tsString, pyComment, pyString } from './code.ts';
