/**
 * Spec text in HTML and XML: element content, quoted attribute values and comments. One function per
 * context; whatever the input, the result cannot end the context it sits in or open a new one.
 */
import { oneLine } from './text.ts';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML or XML element content and quoted attribute values (both quote characters are encoded). */
export function htmlText(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Text inside `<!-- … -->`, valid for HTML, XML and Markdown (where such a comment is an HTML block):
 * one line; no `<` or `>` at all, so neither `-->`, `--!>` nor `<!--` can form, whatever the dashes
 * around them; no `--` (XML forbids it inside a comment); and no trailing `-`, which would merge
 * with the closing `-->`. Comments are not decoded, so the replacements are plain look-alikes.
 */
export function markupComment(text: unknown): string {
  return oneLine(text)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/-(?=-)/g, '- ')
    .replace(/-$/, '- ');
}
