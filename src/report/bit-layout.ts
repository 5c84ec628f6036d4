import type { Register } from '../ir/types.ts';
import { html } from './escape.ts';

/** A register's fields as drawn: plain data so it can be cached with the report. */
export interface RegisterLayout {
  readonly path: string;
  readonly size: number;
  readonly fields: readonly { readonly name: string; readonly lsb: number; readonly width: number; readonly access: string }[];
}

export function layoutOf(register: Register): RegisterLayout {
  return {
    path: register.path,
    size: register.size,
    fields: register.fields.map((f) => ({
      name: f.name,
      lsb: f.lsb,
      width: f.width,
      access: `${f.access.sw}${f.access.onWrite ? `/${f.access.onWrite}` : ''}${f.access.onRead ? `/${f.access.onRead}` : ''}`,
    })),
  };
}

const CELL = 22;
const ROW_BITS = 16;

/**
 * An inline SVG of a register: bits msb-left in rows of 16, one box per field with its name and
 * access, reserved bits hatched. `highlight` marks fields that changed.
 */
export function bitLayoutSvg(layout: RegisterLayout, highlight: ReadonlySet<string> = new Set()): string {
  const rows = Math.ceil(layout.size / ROW_BITS);
  const width = ROW_BITS * CELL + 2;
  const height = rows * (CELL * 2 + 14) + 2;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="bits" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${html(layout.path)} bit layout">`];
  for (let row = 0; row < rows; row++) {
    const top = row * (CELL * 2 + 14) + 1;
    const hiBit = layout.size - 1 - row * ROW_BITS;
    for (let i = 0; i < ROW_BITS; i++) {
      const bit = hiBit - i;
      if (bit < 0) break;
      parts.push(`<text x="${1 + i * CELL + CELL / 2}" y="${top + 10}" class="bitno">${bit}</text>`);
      parts.push(`<rect x="${1 + i * CELL}" y="${top + 12}" width="${CELL}" height="${CELL * 2 - 12}" class="reserved"/>`);
    }
    for (const f of layout.fields) {
      const lo = Math.max(f.lsb, hiBit - ROW_BITS + 1);
      const hi = Math.min(f.lsb + f.width - 1, hiBit);
      if (hi < lo) continue;
      const x = 1 + (hiBit - hi) * CELL;
      const w = (hi - lo + 1) * CELL;
      const cls = highlight.has(f.name) ? 'field changed' : 'field';
      parts.push(`<g><title>${html(`${f.name} [${f.lsb + f.width - 1}:${f.lsb}] ${f.access}`)}</title><rect x="${x}" y="${top + 12}" width="${w}" height="${CELL * 2 - 12}" class="${cls}"/>`);
      const label = w >= f.name.length * 6.5 ? f.name : w >= 14 ? `${f.name.slice(0, Math.max(1, Math.floor(w / 7) - 1))}…` : '';
      parts.push(`<text x="${x + w / 2}" y="${top + 12 + CELL - 4}" class="fname">${html(label)}</text><text x="${x + w / 2}" y="${top + 12 + CELL + 8}" class="facc">${html(w >= 30 ? f.access : '')}</text></g>`);
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

export const bitLayoutCss = `svg.bits text{font:9px system-ui,sans-serif;text-anchor:middle;fill:#333}svg.bits .reserved{fill:url(#hatch);fill:#eee;stroke:#bbb}svg.bits .field{fill:#e8f0fe;stroke:#3367d6}svg.bits .field.changed{fill:#fde7c8;stroke:#c26400}svg.bits .fname{font-weight:600;font-size:10px}svg.bits .facc{fill:#666}`;
