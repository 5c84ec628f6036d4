import type { Entity } from './entities.ts';
import type { EntityKind } from './types.ts';
import { abbreviationScore, affixScore, editSimilarity, jaccard } from './names.ts';

/**
 * Features of a candidate pair (old entity, new entity). The order is part of the weights file
 * format: `FEATURE_NAMES` is stored with the weights and checked on load, so a reordering here
 * cannot silently feed a model the wrong columns.
 */
export const FEATURE_NAMES = [
  'name-equal-ignoring-case',
  'name-edit-similarity',
  'name-token-overlap',
  'name-abbreviation',
  'name-affix',
  'name-digits-equal',
  'position-equal',
  'position-closeness',
  'extent-overlap',
  'width-equal',
  'width-ratio',
  'access-equal',
  'reset-equal',
  'children-name-overlap',
  'children-layout-overlap',
  'has-children',
  'description-similarity',
  'description-missing',
  'parents-matched',
  'kind-peripheral',
  'kind-register',
  'kind-field',
  'kind-enum-value',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** How far apart positions are "close", per kind: 4 KiB of address space, a word, a bit, one value. */
const POSITION_SCALE: Readonly<Record<EntityKind, number>> = { peripheral: 0x1000, register: 4, field: 1, 'enum-value': 1 };
const KIND_COLUMN: Readonly<Record<EntityKind, number>> = { peripheral: 19, register: 20, field: 21, 'enum-value': 22 };

/** Bytes for peripherals and registers, bits for fields, one slot for enum values. */
function extent(e: Entity): [number, number] {
  if (e.kind === 'register') return [e.position, e.position + Math.max(1, e.width / 8)];
  if (e.kind === 'peripheral') return [e.position, e.position + Math.max(1, e.width)];
  return [e.position, e.position + Math.max(1, e.width)];
}

function overlap(a: Entity, b: Entity): number {
  const [a0, a1] = extent(a);
  const [b0, b1] = extent(b);
  const common = Math.min(a1, b1) - Math.max(a0, b0);
  return common <= 0 ? 0 : common / (Math.max(a1, b1) - Math.min(a0, b0));
}

/** Writes the features of (a, b) into `out` at `offset`. */
export function writeFeatures(a: Entity, b: Entity, parentsMatched: boolean, out: Float32Array, offset: number): void {
  const sameName = a.squashed === b.squashed;
  out[offset + 0] = sameName ? 1 : 0;
  out[offset + 1] = editSimilarity(a.squashed, b.squashed);
  out[offset + 2] = jaccard(a.tokens, b.tokens);
  out[offset + 3] = sameName ? 1 : abbreviationScore(a.squashed, b.squashed, a.tokenList, b.tokenList);
  out[offset + 4] = sameName ? 1 : affixScore(a.squashed, b.squashed);
  out[offset + 5] = a.digits === b.digits ? 1 : 0;
  out[offset + 6] = a.position === b.position ? 1 : 0;
  out[offset + 7] = 1 / (1 + Math.abs(a.position - b.position) / POSITION_SCALE[a.kind]);
  out[offset + 8] = overlap(a, b);
  out[offset + 9] = a.width === b.width ? 1 : 0;
  out[offset + 10] = a.width === 0 && b.width === 0 ? 1 : Math.min(a.width, b.width) / Math.max(a.width, b.width, 1);
  out[offset + 11] = a.access === b.access ? 1 : 0;
  out[offset + 12] = a.reset === b.reset ? 1 : 0;
  out[offset + 13] = jaccard(a.childNames, b.childNames);
  out[offset + 14] = jaccard(a.childLayout, b.childLayout);
  out[offset + 15] = a.children.length > 0 && b.children.length > 0 ? 1 : 0;
  const describedBoth = a.descWords.size > 0 && b.descWords.size > 0;
  out[offset + 16] = describedBoth ? jaccard(a.descWords, b.descWords) : 0;
  out[offset + 17] = describedBoth ? 0 : 1;
  out[offset + 18] = parentsMatched ? 1 : 0;
  for (let k = 19; k < FEATURE_COUNT; k++) out[offset + k] = 0;
  out[offset + KIND_COLUMN[a.kind]] = 1;
}

/**
 * Hard vetoes: pairs no score may join. Different driver kinds for peripherals (a UART is never
 * a timer), and read-only against write-only for fields whose names share nothing.
 */
export function vetoed(a: Entity, b: Entity): boolean {
  if (a.kind === 'peripheral') return a.access !== '' && b.access !== '' && a.access !== b.access;
  if (a.kind === 'field') {
    const swA = a.sw;
    const swB = b.sw;
    const disjoint = (swA === 'r' && swB === 'w') || (swA === 'w' && swB === 'r');
    return disjoint && jaccard(a.tokens, b.tokens) === 0;
  }
  if (a.kind === 'enum-value') return a.access !== b.access && a.access !== 'read-write' && b.access !== 'read-write';
  return false;
}

/** The name-only baseline the evaluation compares against: edit similarity of squashed names. */
export function nameOnlyScore(a: Entity, b: Entity): number {
  return editSimilarity(a.squashed, b.squashed);
}
