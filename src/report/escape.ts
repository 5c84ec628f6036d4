/** Text from specs goes into reports only through these. */
export function html(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function md(text: unknown): string {
  return String(text ?? '').replace(/[|\\`*_<>[\]#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
