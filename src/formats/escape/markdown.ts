import { oneLine } from './text.ts';

/**
 * Markdown inline text (table cells, headings, paragraphs, list items): one line, inline markup and
 * table pipes escaped, embedded HTML neutralised as entities, and a leading character that would
 * start a heading, list, quote or thematic break escaped. Quotes stay as they are: Markdown text is
 * never inside an attribute.
 */
export function mdText(text: unknown): string {
  const inline = oneLine(text).replace(/([\\`*_[\]|~#])/g, '\\$1');
  return inline.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')).replace(/^([>+=-]|\d+[.)])/, '\\$1');
}
