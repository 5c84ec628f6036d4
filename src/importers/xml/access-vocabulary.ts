import type { OnRead, OnWrite, SwAccess } from '../../ir/types.ts';

/**
 * The access vocabulary of the XML register formats: IP-XACT's (`access`, `modifiedWriteValue(s)`,
 * `readAction`), which CMSIS-SVD adopted. It lives beside the shared XML reader because both the SVD
 * and the IP-XACT importers, and the SVD exporter, speak it; neither format owns the other's words.
 * It is mapped onto the IR access model exactly as docs/access-semantics.md says. The exporters use the
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
