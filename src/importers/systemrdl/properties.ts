import { suggest } from '../../diagnostics/suggest.ts';
import type { ComponentKind } from './ast.ts';

/**
 * The built-in SystemRDL 2.0 properties (clauses 5, 9–13): where each may be assigned, which
 * value types it takes, whether a dynamic assignment (`a->p = v`) may change it, and its mutual
 * exclusion group (two properties of a group cannot both be set on one component).
 */

export type PropType =
  | 'bool'
  | 'int'
  | 'string'
  | 'access'
  | 'onread'
  | 'onwrite'
  | 'addressing'
  | 'precedence'
  | 'ref'
  | 'enumType'
  | 'stringArray'
  | 'declared';

export interface PropRule {
  readonly on: readonly ComponentKind[];
  readonly types: readonly PropType[];
  readonly dynamic: boolean;
  readonly group?: string;
}

const ALL: readonly ComponentKind[] = ['addrmap', 'regfile', 'reg', 'field', 'mem', 'signal'];
const F: readonly ComponentKind[] = ['field'];
const COUNTER_LIMIT: readonly PropType[] = ['int', 'bool', 'ref'];
const SIGNALISH: readonly PropType[] = ['bool', 'ref'];

function rule(on: readonly ComponentKind[], types: readonly PropType[], dynamic = true, group?: string): PropRule {
  return group ? { on, types, dynamic, group } : { on, types, dynamic };
}

export const BUILTIN_PROPERTIES: ReadonlyMap<string, PropRule> = new Map<string, PropRule>([
  // General (5.2)
  ['name', rule(ALL, ['string'])],
  ['desc', rule(ALL, ['string'])],
  ['ispresent', rule(ALL, ['bool'])],
  ['dontcompare', rule(['addrmap', 'regfile', 'reg', 'field'], ['bool', 'int'])],
  ['donttest', rule(['addrmap', 'regfile', 'reg', 'field'], ['bool', 'int'])],
  ['errextbus', rule(['addrmap', 'regfile', 'reg'], ['bool'], false)],
  ['hdl_path', rule(['addrmap', 'regfile', 'reg'], ['string'])],
  ['hdl_path_gate', rule(['addrmap', 'regfile', 'reg'], ['string'])],
  ['hdl_path_slice', rule(['field', 'mem'], ['stringArray'])],
  ['hdl_path_gate_slice', rule(['field', 'mem'], ['stringArray'])],
  // Signals (8)
  ['signalwidth', rule(['signal'], ['int'], false)],
  ['sync', rule(['signal'], ['bool'], true, 'sync')],
  ['async', rule(['signal'], ['bool'], true, 'sync')],
  ['cpuif_reset', rule(['signal'], ['bool'])],
  ['field_reset', rule(['signal'], ['bool'])],
  ['activelow', rule(['signal'], ['bool'], true, 'active')],
  ['activehigh', rule(['signal'], ['bool'], true, 'active')],
  // Field access (9.4)
  ['hw', rule(F, ['access'], false)],
  ['sw', rule(['field', 'mem'], ['access'])],
  // Field behaviour (9.5–9.8)
  ['next', rule(F, ['ref'])],
  ['reset', rule(F, ['int', 'ref'])],
  ['resetsignal', rule(F, ['ref'])],
  ['rclr', rule(F, ['bool'], true, 'onread')],
  ['rset', rule(F, ['bool'], true, 'onread')],
  ['onread', rule(F, ['onread'], true, 'onread')],
  ['woset', rule(F, ['bool'], true, 'onwrite')],
  ['woclr', rule(F, ['bool'], true, 'onwrite')],
  ['onwrite', rule(F, ['onwrite'], true, 'onwrite')],
  ['swwe', rule(F, SIGNALISH, true, 'swwe')],
  ['swwel', rule(F, SIGNALISH, true, 'swwe')],
  ['swmod', rule(F, ['bool'])],
  ['swacc', rule(F, ['bool'])],
  ['singlepulse', rule(F, ['bool'])],
  ['we', rule(F, SIGNALISH, true, 'we')],
  ['wel', rule(F, SIGNALISH, true, 'we')],
  ['anded', rule(F, ['bool'])],
  ['ored', rule(F, ['bool'])],
  ['xored', rule(F, ['bool'])],
  ['fieldwidth', rule(F, ['int'], false)],
  ['hwclr', rule(F, SIGNALISH)],
  ['hwset', rule(F, SIGNALISH)],
  ['hwenable', rule(F, ['ref'], true, 'hwenable')],
  ['hwmask', rule(F, ['ref'], true, 'hwenable')],
  // Counters (9.8)
  ['counter', rule(F, ['bool'], true, 'counter-intr')],
  ['threshold', rule(F, COUNTER_LIMIT, true, 'incrthreshold')],
  ['saturate', rule(F, COUNTER_LIMIT, true, 'incrsaturate')],
  ['incrthreshold', rule(F, COUNTER_LIMIT, true, 'incrthreshold')],
  ['incrsaturate', rule(F, COUNTER_LIMIT, true, 'incrsaturate')],
  ['overflow', rule(F, ['bool'])],
  ['underflow', rule(F, ['bool'])],
  ['incr', rule(F, ['ref'])],
  ['incrvalue', rule(F, ['int', 'ref'], true, 'incrvalue')],
  ['incrwidth', rule(F, ['int'], true, 'incrvalue')],
  ['decrvalue', rule(F, ['int', 'ref'], true, 'decrvalue')],
  ['decr', rule(F, ['ref'])],
  ['decrwidth', rule(F, ['int'], true, 'decrvalue')],
  ['decrsaturate', rule(F, COUNTER_LIMIT)],
  ['decrthreshold', rule(F, COUNTER_LIMIT)],
  // Interrupts (9.9)
  ['intr', rule(F, ['bool'], true, 'counter-intr')],
  ['intr type', rule(F, ['string'])],
  ['enable', rule(F, ['ref'], true, 'enable')],
  ['mask', rule(F, ['ref'], true, 'enable')],
  ['haltenable', rule(F, ['ref'], true, 'haltenable')],
  ['haltmask', rule(F, ['ref'], true, 'haltenable')],
  ['sticky', rule(F, ['bool'], true, 'sticky')],
  ['stickybit', rule(F, ['bool'], true, 'sticky')],
  // Misc field (9.10)
  ['encode', rule(F, ['enumType'])],
  ['precedence', rule(F, ['precedence'])],
  ['paritycheck', rule(F, ['bool'], false)],
  // Registers (10)
  ['regwidth', rule(['reg'], ['int'], false)],
  ['accesswidth', rule(['reg'], ['int'])],
  ['shared', rule(['reg'], ['bool'], false)],
  // Memories (11)
  ['mementries', rule(['mem'], ['int'], false)],
  ['memwidth', rule(['mem'], ['int'], false)],
  // Register files and address maps (12, 13)
  ['alignment', rule(['addrmap', 'regfile'], ['int'], false)],
  ['sharedextbus', rule(['addrmap', 'regfile'], ['bool'], false)],
  ['bigendian', rule(['addrmap'], ['bool'], true, 'endian')],
  ['littleendian', rule(['addrmap'], ['bool'], true, 'endian')],
  ['addressing', rule(['addrmap'], ['addressing'], false)],
  ['rsvdset', rule(['addrmap'], ['bool'], false)],
  ['rsvdsetX', rule(['addrmap'], ['bool'], false)],
  ['msb0', rule(['addrmap'], ['bool'], false, 'bitorder')],
  ['lsb0', rule(['addrmap'], ['bool'], false, 'bitorder')],
  ['bridge', rule(['addrmap'], ['bool'], false)],
]);

/** Properties that can be read through `reg->intr` / `reg->halt` style references but not assigned. */
export const REFERENCE_ONLY_PROPERTIES = new Set(['intr', 'halt']);

/** The closest property name within two edits, for "did you mean" hints on unknown property names. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  return suggest(name, candidates, 2);
}
