/** Escaping lives in src/formats/escape (one function per output context); generators import it here. */
export { oneLine, cComment, cString, tsComment, tsString, pyComment, pyString, htmlText, markupComment, mdText } from '../../src/formats/escape/index.ts';
