export { ciHtml } from './html.ts';
export { ciMarkdown } from './markdown.ts';
export { htmlText as escapeHtml, mdText as escapeMarkdown } from '../formats/escape/index.ts';
export { writeReport, reportFiles, allDiagnostics } from './write.ts';
