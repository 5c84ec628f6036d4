import type { FieldAccess, HwAccess } from '../../ir/types.ts';

/**
 * reggen `swaccess` values mapped onto the IR access model (docs: ../shared/notes/access-semantics.md).
 * The set is exactly reggen's SWACCESS_PERMITTED (util/reggen/access.py); anything else is an error,
 * as in reggen, because guessing the meaning of e.g. `w1c` would silently change what drivers do.
 */
export const swAccessMap: Readonly<Record<string, Pick<FieldAccess, 'sw' | 'onRead' | 'onWrite'>>> = {
  none: { sw: 'na' },
  ro: { sw: 'r' },
  // Read-only; the read clears the field. reggen marks it writable only for its port wiring.
  rc: { sw: 'r', onRead: 'rclr' },
  rw: { sw: 'rw' },
  wo: { sw: 'w' },
  // "Read zero, write 1 clears": not readable (reads as 0), a written 1 clears.
  r0w1c: { sw: 'w', onWrite: 'woclr' },
  rw1s: { sw: 'rw', onWrite: 'woset' },
  rw1c: { sw: 'rw', onWrite: 'woclr' },
  rw0c: { sw: 'rw', onWrite: 'wzc' },
};

/** Near misses people write, with what reggen spells. */
export const swAccessHints: Readonly<Record<string, string>> = {
  w1c: 'rw1c (or r0w1c if the field reads as zero)',
  w1s: 'rw1s',
  w0c: 'rw0c',
  rwc: 'rw1c or rc',
  rws: 'rw1s',
  r: 'ro',
  w: 'wo',
  r1c: 'rw1c',
};

export const hwAccessMap: Readonly<Record<string, HwAccess>> = {
  hro: 'r',
  hrw: 'rw',
  hwo: 'w',
  none: 'na',
};

/** Window swaccess values reggen accepts without the `unusual` flag (the last column of SWACCESS_PERMITTED). */
export const windowSwAccess: ReadonlySet<string> = new Set(['ro', 'rw', 'wo']);
