import type { Field, FieldAccess, HwAccess, OnRead, OnWrite, SwAccess, WriteConstraint } from './types.ts';
import { bitMask } from './bits.ts';

/** Software can read the field (SystemRDL sw r/rw/rw1; SVD read-only, read-write, read-writeOnce). */
export function swReadable(sw: SwAccess): boolean {
  return sw === 'r' || sw === 'rw' || sw === 'rw1';
}

/** Software can write the field (at least once: w1/rw1 are write-once). */
export function swWritable(sw: SwAccess): boolean {
  return sw === 'w' || sw === 'rw' || sw === 'w1' || sw === 'rw1';
}

/**
 * What software must put into a field it did not mean to change when it writes the register: the
 * single rule behind hazard-free `modify` in every generated target and in the scenario interpreter.
 * `keep` = the value read back; `force` = a value with no side effect (0 for write-1-to-X and
 * single pulses, all ones for write-0-to-X, 0 for fields that read as 0).
 */
export type Neutral = { readonly kind: 'keep' } | { readonly kind: 'force'; readonly value: number };

export function fieldNeutral(field: Field, writable: boolean): Neutral {
  if (!writable) return { kind: 'keep' };
  if (field.access.singlePulse) return { kind: 'force', value: 0 };
  switch (field.access.onWrite) {
    case 'woclr':
    case 'woset':
    case 'wot':
      return { kind: 'force', value: 0 };
    case 'wzc':
    case 'wzs':
    case 'wzt':
      return { kind: 'force', value: bitMask(0, field.width) };
    default:
      break;
  }
  // A field that cannot be read gives 0 on read: say so explicitly rather than "keep" a value never seen.
  if (field.access.sw === 'w' || field.access.sw === 'w1') return { kind: 'force', value: 0 };
  return { kind: 'keep' };
}

/** How a flag is cleared, from its access semantics. */
export type ClearMethod = 'write-one' | 'write-zero' | 'read' | 'any-write' | 'plain';

export function clearMethod(field: Field): ClearMethod {
  if (field.access.onWrite === 'woclr') return 'write-one';
  if (field.access.onWrite === 'wzc') return 'write-zero';
  if (field.access.onWrite === 'wclr') return 'any-write';
  if (field.access.onRead === 'rclr') return 'read';
  return 'plain';
}

/**
 * The hardware access a format that does not describe it (SVD, IP-XACT) gets: the native format's
 * default
 * (hardware drives fields that software can only read), so every importer agrees on it.
 */
export function defaultHwAccess(sw: SwAccess): HwAccess {
  return sw === 'r' ? 'w' : 'r';
}

/**
 * The access of a field. The IR is read-only, so fields with the same SVD access share one object
 * (a large SVD has ≈80 k fields but a few dozen distinct access combinations).
 */
const sharedAccess = new Map<string, FieldAccess>();
let lastShared:
  | { sw: SwAccess; onWrite: OnWrite | undefined; onRead: OnRead | undefined; kind: WriteConstraint['kind'] | undefined; access: FieldAccess }
  | undefined;

export function fieldAccess(sw: SwAccess, onWrite: OnWrite | undefined, onRead: OnRead | undefined, writeConstraint: WriteConstraint | undefined): FieldAccess {
  if (writeConstraint === undefined || writeConstraint.kind !== 'range') {
    const kind = writeConstraint?.kind;
    // Neighbouring fields mostly share their access: the last answer is checked before building a key.
    const last = lastShared;
    if (last !== undefined && last.sw === sw && last.onWrite === onWrite && last.onRead === onRead && last.kind === kind) return last.access;
    const key = `${sw}|${onWrite ?? ''}|${onRead ?? ''}|${kind ?? ''}`;
    let access = sharedAccess.get(key);
    if (!access) {
      access = Object.freeze(buildAccess(sw, onWrite, onRead, writeConstraint));
      sharedAccess.set(key, access);
    }
    lastShared = { sw, onWrite, onRead, kind, access };
    return access;
  }
  return buildAccess(sw, onWrite, onRead, writeConstraint);
}

function buildAccess(sw: SwAccess, onWrite: OnWrite | undefined, onRead: OnRead | undefined, writeConstraint: WriteConstraint | undefined): FieldAccess {
  return {
    sw,
    hw: defaultHwAccess(sw),
    ...(onRead !== undefined ? { onRead } : {}),
    ...(onWrite !== undefined ? { onWrite } : {}),
    ...(writeConstraint !== undefined ? { writeConstraint } : {}),
  };
}
