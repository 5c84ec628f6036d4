import type { FieldAccess, HwAccess, OnRead, OnWrite, SwAccess, WriteConstraint } from '../../ir/types.ts';

/**
 * The CMSIS-SVD access vocabulary (also IP-XACT's: `access`, `modifiedWriteValue(s)`, `readAction`)
 * mapped onto the IR access model exactly as docs/access-semantics.md says. The exporters use the
 * inverse tables, so an import → export → import round trip is the identity.
 */

export const SVD_ACCESS: Readonly<Record<string, SwAccess>> = {
  'read-only': 'r',
  'write-only': 'w',
  'read-write': 'rw',
  writeOnce: 'w1',
  'read-writeOnce': 'rw1',
};

/** SVD and IP-XACT keywords are case-sensitive in the schema, but vendors (Nordic: `writeonce`) vary the case. */
const ACCESS_BY_LOWER = new Map(Object.entries(SVD_ACCESS).map(([k, v]) => [k.toLowerCase(), v]));

export function swAccessFromSvd(text: string): SwAccess | undefined {
  return ACCESS_BY_LOWER.get(text.toLowerCase());
}

/**
 * Access words outside the schema that vendors write and whose meaning is not in doubt: GD32 writes
 * `write` for write-only (cmsis-svd 0.6 reads it so too, and the datasheets agree). Imported with a
 * warning (`svd/nonstandard-access`); every other unknown word stays `svd/bad-access`.
 */
export const NONSTANDARD_SVD_ACCESS: Readonly<Record<string, SwAccess>> = { write: 'w', read: 'r' };

export const SW_TO_SVD: Readonly<Record<SwAccess, string | undefined>> = {
  r: 'read-only',
  w: 'write-only',
  rw: 'read-write',
  w1: 'writeOnce',
  rw1: 'read-writeOnce',
  na: undefined,
};

/** `modify` is a plain write (not "user defined"): it maps to no onWrite at all. */
export const SVD_MODIFIED_WRITE: Readonly<Record<string, OnWrite | null>> = {
  modify: null,
  oneToClear: 'woclr',
  oneToSet: 'woset',
  oneToToggle: 'wot',
  zeroToClear: 'wzc',
  zeroToSet: 'wzs',
  zeroToToggle: 'wzt',
  clear: 'wclr',
  set: 'wset',
};

export const ONWRITE_TO_SVD: Readonly<Record<OnWrite, string | undefined>> = {
  woclr: 'oneToClear',
  woset: 'oneToSet',
  wot: 'oneToToggle',
  wzc: 'zeroToClear',
  wzs: 'zeroToSet',
  wzt: 'zeroToToggle',
  wclr: 'clear',
  wset: 'set',
  // A model-defined write has no SVD keyword; the exporter says so in a diagnostic.
  wuser: undefined,
};

export const SVD_READ_ACTION: Readonly<Record<string, OnRead>> = {
  clear: 'rclr',
  set: 'rset',
  modify: 'ruser',
  modifyExternal: 'external',
};

export const ONREAD_TO_SVD: Readonly<Record<OnRead, string>> = {
  rclr: 'clear',
  rset: 'set',
  ruser: 'modify',
  external: 'modifyExternal',
};

/**
 * Hardware access is not in SVD or IP-XACT. The same default as the native format applies
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

export function fieldAccess(sw: SwAccess, onWrite: OnWrite | undefined, onRead: OnRead | undefined, writeConstraint: WriteConstraint | undefined): FieldAccess {
  if (writeConstraint === undefined || writeConstraint.kind !== 'range') {
    const key = `${sw}|${onWrite ?? ''}|${onRead ?? ''}|${writeConstraint?.kind ?? ''}`;
    let access = sharedAccess.get(key);
    if (!access) {
      access = Object.freeze(buildAccess(sw, onWrite, onRead, writeConstraint));
      sharedAccess.set(key, access);
    }
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
