export { ciHtml } from './html.ts';
export { ciMarkdown } from './markdown.ts';
export { html as escapeHtml, md as escapeMarkdown } from './escape.ts';
export { writeReport, reportFiles, allDiagnostics } from './write.ts';
