/**
 * Structure-aware generators of native hardware specs (specdrive/hardware@1). They produce mostly
 * well-formed documents with plausible mistakes mixed in (overlapping fields, bits past the register,
 * odd names, huge numbers, wrong types), so cases get past the YAML parser and the schema and reach
 * the conversion, validation and diff code, which purely random text never does.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export type SpecDoc = Record<string, unknown>;

const plainName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/);
const smallInt = fc.integer({ min: 0, max: 64 });

/**
 * Builds the spec generator. `noisy` mixes in the mistakes careless or hostile files contain (odd
 * names, out-of-range and wrongly typed numbers, unknown keys); without it the specs are almost
 * always importable, so they reach the conversion, validation and diff code in volume.
 */
function specArbitrary(noisy: boolean): fc.Arbitrary<SpecDoc> {
  const noise = <T, U>(clean: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
    noisy ? fc.oneof({ weight: 10, arbitrary: clean }, { weight: 1, arbitrary: bad }) : clean;
  const name = noise(plainName, fc.constantFrom('', 'a b', '9LIVES', 'class', 'a*/ int x; /*', '"q"', 'x\ny', 'ÄÖ', '__proto__', 'constructor'));
  const weirdInt = noise(smallInt, fc.constantFrom(-1, 2 ** 32, 2 ** 53, 1.5, '0x1_0000_0000', '0b', 'ten', null, true));
  const lowBit = fc.integer({ min: 0, max: noisy ? 40 : 31 });
  const bits = noise(
    fc.oneof(
      lowBit,
      fc.tuple(lowBit, lowBit).map(([a, b]) => `${Math.max(a, b)}..${Math.min(a, b)}`),
      fc.tuple(lowBit, lowBit).map(([a, b]) => `${Math.max(a, b)}:${Math.min(a, b)}`),
    ),
    fc.constantFrom('7-0', '', '..', '99999999999..0', -3, '0..7'),
  );
  const access = noise(fc.constantFrom('rw', 'r', 'w', 'rw1', 'w1', 'na', 'ro', 'wo'), fc.constant('bogus'));

  const field = fc.record(
    {
      bits,
      access,
      reset: weirdInt,
      onwrite: fc.constantFrom('woclr', 'woset', 'wot', 'wzs', 'wzc', 'wclr'),
      onread: fc.constantFrom('rclr', 'rset', 'fifo'),
      singlepulse: fc.boolean(),
      enum: fc.dictionary(plainName, weirdInt, { maxKeys: 4 }),
      description: fc.string({ maxLength: 30 }),
      dim: fc.record({ count: noise(fc.integer({ min: 1, max: 4 }), weirdInt), stride: noise(fc.constantFrom(1, 2, 4), weirdInt) }),
    },
    { requiredKeys: ['bits'] },
  );

  const register = fc.record(
    {
      offset: noise(
        fc.integer({ min: 0, max: 64 }).map((n) => n * 4),
        weirdInt,
      ),
      size: noise(fc.constantFrom(8, 16, 32), fc.constantFrom(64, 12, 0, 128)),
      reset: weirdInt,
      description: fc.string({ maxLength: 20 }),
      dim: fc.record({ count: noise(fc.integer({ min: 1, max: 8 }), weirdInt), stride: noise(fc.constantFrom(4, 8), fc.constantFrom(0, 2)) }),
      fields: fc.dictionary(name, field, { minKeys: 1, maxKeys: 6 }),
    },
    { requiredKeys: ['offset', 'fields'] },
  );

  const cluster = fc.record({
    offset: fc.integer({ min: 0, max: 16 }).map((n) => n * 0x40),
    dim: fc.record({ count: fc.integer({ min: 1, max: 4 }), stride: fc.constantFrom(0x40, 0x80) }),
    registers: fc.dictionary(name, register, { minKeys: 1, maxKeys: 3 }),
  });

  const peripheral = fc.record(
    {
      kind: fc.constantFrom('uart', 'gpio', 'timer', 'spi'),
      base: noise(
        fc.integer({ min: 0x4000, max: 0x4010 }).map((n) => n * 0x1000),
        weirdInt,
      ),
      size: fc.constantFrom(0x100, 0x1000, 4),
      irq: weirdInt,
      description: fc.string({ maxLength: 30 }),
      registers: fc.dictionary(name, fc.oneof({ weight: 6, arbitrary: register }, { weight: 1, arbitrary: cluster }), { minKeys: 1, maxKeys: 6 }),
      quantities: fc.dictionary(
        plainName.map((s) => s.toLowerCase()),
        fc.constantFrom('HCLK / (16 * CTRL.DIV)', 'HCLK /', '1 + 2 * 3', 'NOPE.X', '((((1))))'),
        { maxKeys: 2 },
      ),
    },
    { requiredKeys: ['base', 'registers'] },
  );

  return fc
    .record({
      board: noise(fc.constant('fuzz-board'), fc.string({ maxLength: 10 })),
      revision: noise(fc.constantFrom('rev-a', 'rev-b'), fc.constant('')),
      clocks: fc.dictionary(fc.constantFrom('HCLK', 'PCLK'), noise(fc.constant(48_000_000), weirdInt), { maxKeys: 2 }),
      peripherals: fc.dictionary(name, peripheral, { minKeys: 1, maxKeys: 4 }),
      extra: noisy
        ? fc.option(fc.dictionary(fc.constantFrom('unknown', 'width', 'usb'), weirdInt, { maxKeys: 1 }), { nil: undefined })
        : fc.constant(undefined),
    })
    .map(({ extra, ...rest }) => ({ spec: 'specdrive/hardware@1', ...rest, ...(extra ?? {}) }));
}

/** Specs with mistakes mixed in (most are refused with diagnostics). */
export const specDocArb: fc.Arbitrary<SpecDoc> = specArbitrary(true);
/** Specs that almost always import (they may still fail validation: overlaps, bits past the register). */
export const cleanSpecDocArb: fc.Arbitrary<SpecDoc> = specArbitrary(false);

/** Serialises a spec document the way people write them (block style, hex stays a string). */
export function specText(doc: SpecDoc): string {
  return stringify(doc, { lineWidth: 0 });
}

/**
 * A revision of a spec: the edits hardware teams make between revisions (rename, move, resize,
 * drop, add), applied to the JavaScript value so the result is still a plausible spec.
 */
export type Edit =
  | { readonly kind: 'rename'; readonly which: number; readonly suffix: string }
  | { readonly kind: 'drop'; readonly which: number }
  | { readonly kind: 'move'; readonly which: number; readonly delta: number }
  | { readonly kind: 'copy'; readonly which: number };

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), which: fc.nat(), suffix: fc.constantFrom('_X', '2', 'EN', '') }),
  fc.record({ kind: fc.constant('drop' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), which: fc.nat(), delta: fc.integer({ min: -8, max: 8 }) }),
  fc.record({ kind: fc.constant('copy' as const), which: fc.nat() }),
);

interface Slot {
  readonly owner: Record<string, unknown>;
  readonly key: string;
}

/** Every named node (peripheral, register, cluster, field) with the map that holds it. */
function slots(doc: SpecDoc): Slot[] {
  const out: Slot[] = [];
  const visit = (map: unknown, childKey: 'registers' | 'fields' | undefined): void => {
    if (typeof map !== 'object' || map === null) return;
    for (const key of Object.keys(map)) {
      const node = (map as Record<string, unknown>)[key] as Record<string, unknown> | undefined;
      out.push({ owner: map as Record<string, unknown>, key });
      if (typeof node !== 'object' || node === null) continue;
      if (childKey === undefined || node['registers']) visit(node['registers'], 'registers');
      if (node['fields']) visit(node['fields'], 'fields');
    }
  };
  visit(doc['peripherals'], undefined);
  return out;
}

export function applyEdits(doc: SpecDoc, edits: readonly Edit[]): SpecDoc {
  const copy = structuredClone(doc);
  for (const edit of edits) {
    const all = slots(copy);
    if (all.length === 0) break;
    const slot = all[edit.which % all.length]!;
    const node = slot.owner[slot.key];
    switch (edit.kind) {
      case 'rename':
        delete slot.owner[slot.key];
        slot.owner[slot.key + edit.suffix] = node;
        break;
      case 'drop':
        delete slot.owner[slot.key];
        break;
      case 'move':
        if (typeof node === 'object' && node !== null && typeof (node as Record<string, unknown>)['offset'] === 'number') {
          (node as Record<string, number>)['offset'] = Math.max(0, (node as Record<string, number>)['offset']! + 4 * edit.delta);
        }
        break;
      case 'copy':
        slot.owner[`${slot.key}_COPY`] = structuredClone(node);
        break;
    }
  }
  return copy;
}
