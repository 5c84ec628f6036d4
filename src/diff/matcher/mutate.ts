import type { Device, EnumSet, EnumValue, Field, Peripheral, Register, RegisterNode } from '../../ir/types.ts';
import { nameTokens } from '../names.ts';

/**
 * Seeded, realistic mutations of a register map, with the ground truth of what became what. These
 * are the edits vendors make between releases (see ../shared/notes/diff-and-anchors.md): renames by
 * abbreviation habit, case normalisation, added or dropped prefixes, moves, re-bases, widenings,
 * splits, deletions and additions, description rewording.
 */
export type Random = () => number;

import { seededRandom } from '../../random/index.ts';

export { seededRandom };

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Vendor spelling habits, both directions: any member may become any other. */
const SYNONYMS: readonly (readonly string[])[] = [
  ['CONTROL', 'CTRL', 'CTL', 'CR'],
  ['STATUS', 'STAT', 'STS', 'SR'],
  ['CONFIG', 'CFG', 'CONF', 'CONFIGURATION'],
  ['ENABLE', 'EN', 'ENA'],
  ['DISABLE', 'DIS'],
  ['INTERRUPT', 'INT', 'IT', 'IRQ'],
  ['REGISTER', 'REG'],
  ['COUNTER', 'CNT', 'CTR', 'COUNT'],
  ['PRESCALER', 'PSC', 'PRESC'],
  ['DATA', 'DAT', 'DR'],
  ['CLEAR', 'CLR'],
  ['FLAG', 'FLG', 'F'],
  ['TRANSMIT', 'TX', 'XMIT'],
  ['RECEIVE', 'RX', 'RCV'],
  ['ADDRESS', 'ADDR', 'ADR'],
  ['BUFFER', 'BUF'],
  ['VALUE', 'VAL'],
  ['SELECT', 'SEL'],
  ['MODE', 'MD'],
  ['CLOCK', 'CLK'],
  ['RESET', 'RST'],
  ['POINTER', 'PTR'],
  ['LENGTH', 'LEN'],
  ['NUMBER', 'NUM', 'NB'],
  ['CHANNEL', 'CH', 'CHN'],
  ['TIMER', 'TIM', 'TMR'],
  ['ERROR', 'ERR'],
  ['COMPARE', 'CMP'],
  ['CAPTURE', 'CAP'],
  ['DIVIDER', 'DIV'],
  ['FREQUENCY', 'FREQ'],
  ['POWER', 'PWR'],
  ['MASK', 'MSK'],
  ['SOURCE', 'SRC'],
  ['DESTINATION', 'DST', 'DEST'],
  ['TRIGGER', 'TRIG', 'TRG'],
  ['EVENT', 'EVT', 'EV'],
  ['THRESHOLD', 'THR', 'THRESH'],
  ['WAKEUP', 'WKUP', 'WU'],
  ['CALIBRATION', 'CAL'],
  ['SAMPLE', 'SMP'],
  ['OUTPUT', 'OUT'],
  ['INPUT', 'IN'],
  ['DMA', 'DMAR'],
  ['LOW', 'LO'],
  ['HIGH', 'HI'],
  ['SYNC', 'SYNCHRO'],
  ['PERIPHERAL', 'PERIPH'],
];
const SYNONYM_OF = new Map<string, readonly string[]>();
for (const group of SYNONYMS) for (const word of group) SYNONYM_OF.set(word, group);

/** Words for names of added nodes (unrelated to what was removed). */
const FRESH_WORDS = [
  'LOCK',
  'KEY',
  'SEED',
  'TAG',
  'MISC',
  'AUX',
  'PAD',
  'SPARE',
  'TEST',
  'DBG',
  'VERSION',
  'ID',
  'SCRATCH',
  'GUARD',
  'HASH',
  'NONCE',
  'PHASE',
  'SLOT',
  'WINDOW',
  'LIMIT',
];

function splitWords(name: string): string[] {
  return name.split('_').filter((w) => w.length > 0);
}

/** One realistic rename. `context` is the parent's name (used as a prefix vendors add or drop). */
export function renameLike(random: Random, name: string, context: string): string {
  const words = splitWords(name);
  const roll = random();
  const withSynonym = (): string | undefined => {
    const hits = words.map((w, i) => [w.toUpperCase(), i] as const).filter(([w]) => SYNONYM_OF.has(w));
    if (hits.length === 0) return undefined;
    const [word, index] = pick(random, hits);
    const choices = SYNONYM_OF.get(word)!.filter((s) => s !== word);
    const copy = [...words];
    copy[index] = matchCase(pick(random, choices), words[index]!);
    return copy.join('_');
  };
  let out: string | undefined;
  if (roll < 0.3) out = withSynonym();
  else if (roll < 0.45) out = random() < 0.5 ? name.toLowerCase() : name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase();
  else if (roll < 0.6) out = words.length > 1 && random() < 0.5 ? words.slice(1).join('_') : `${context.replace(/[0-9]+$/, '')}_${name}`;
  else if (roll < 0.7) out = name.includes('_') ? name.replace(/_/g, '') : nameTokens(name).join('_').toUpperCase();
  else if (roll < 0.8) out = words.map((w) => (w.length > 3 ? w[0] + w.slice(1).replace(/[AEIOUaeiou]/g, '') : w)).join('_');
  else if (roll < 0.9) out = `${name}${pick(random, ['_REG', 'R', '_VAL', 'X', '_CFG'])}`;
  else out = words.length > 1 ? words.slice(0, -1).join('_') : `${name}_${pick(random, FRESH_WORDS)}`;
  if (!out || out === name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(out)) out = withSynonym() ?? `${name}_${pick(random, ['N', 'NEW', 'V2'])}`;
  return out;
}

function matchCase(word: string, like: string): string {
  return like === like.toLowerCase() ? word.toLowerCase() : word;
}

function rewordDescription(random: Random, text: string | undefined): string | undefined {
  if (!text) return text;
  const words = text.split(' ');
  if (words.length < 3) return `${text} (updated)`;
  const i = Math.floor(random() * words.length);
  return [...words.slice(0, i), ...words.slice(i + 1), pick(random, ['register', 'value', 'bits', 'setting'])].join(' ');
}

export interface MutationRates {
  readonly rename: number;
  readonly move: number;
  readonly resize: number;
  readonly remove: number;
  readonly add: number;
  readonly describe: number;
  readonly split: number;
}

export const DEFAULT_RATES: MutationRates = { rename: 0.12, move: 0.06, resize: 0.05, remove: 0.04, add: 0.04, describe: 0.2, split: 0.02 };

export interface Mutated {
  readonly device: Device;
  /** Old path → new path for every node that survives (unchanged ones included). */
  readonly truth: Map<string, string>;
  /** Old paths whose fate is ambiguous by construction (split fields): left out of scoring. */
  readonly ignore: Set<string>;
}

/** A mutated copy of `device` and the truth. Deterministic for a given seed. */
export function mutateDevice(device: Device, seed: number, rates: MutationRates = DEFAULT_RATES): Mutated {
  const mutator = new DeviceMutator(device, seededRandom(seed), rates);
  const taken = usedNames(device.peripherals.map((p) => p.name));
  const peripherals = device.peripherals.flatMap((p) => mutator.peripheral(p, taken) ?? []);
  return { device: { ...device, peripherals }, truth: mutator.truth, ignore: mutator.ignore };
}

/** Names already taken at one level, compared without case (as vendors' tools do). */
const usedNames = (names: Iterable<string>): Set<string> => new Set([...names].map((n) => n.toLowerCase()));

/** The bits of one register its fields occupy, kept up to date as fields widen and move. */
class Occupancy {
  private readonly bits = new Set<number>();

  constructor(
    fields: readonly Field[],
    private readonly size: number,
  ) {
    for (const f of fields) this.take(f.lsb, f.width);
  }

  take(lsb: number, width: number): void {
    for (let b = lsb; b < lsb + width; b++) this.bits.add(b);
  }

  release(lsb: number, width: number): void {
    for (let b = lsb; b < lsb + width; b++) this.bits.delete(b);
  }

  /** True when `width` bits from `lsb` are inside the register and unused. */
  fits(lsb: number, width: number): boolean {
    if (lsb + width > this.size) return false;
    for (let b = lsb; b < lsb + width; b++) if (this.bits.has(b)) return false;
    return true;
  }

  /** The lowest free run of `width` bits, if any. */
  freeRun(width: number): number | undefined {
    for (let lsb = 0; lsb + width <= this.size; lsb++) if (this.fits(lsb, width)) return lsb;
    return undefined;
  }
}

/**
 * The mutation steps, one method each, sharing the seeded random stream and the truth being
 * recorded. The order of random draws is part of the output: each method draws in a fixed order,
 * so a seed always gives the same mutations (the matcher's training set depends on it).
 */
class DeviceMutator {
  readonly truth = new Map<string, string>();
  readonly ignore = new Set<string>();

  constructor(
    private readonly device: Device,
    private readonly random: Random,
    private readonly rates: MutationRates,
  ) {}

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private freshName(taken: Set<string>, base: string, context: string): string {
    for (let k = 0; k < 6; k++) {
      const candidate = renameLike(this.random, base, context);
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
    let n = 2;
    while (taken.has(`${base}_${n}`.toLowerCase())) n++;
    return `${base}_${n}`;
  }

  /** With probability `rate`, a realistic new name not yet `taken` (then taken). */
  private maybeRename(taken: Set<string>, name: string, context: string, rate = this.rates.rename): string {
    if (!this.chance(rate)) return name;
    const renamed = this.freshName(taken, name, context);
    taken.add(renamed.toLowerCase());
    return renamed;
  }

  /** Sometimes a reworded description (the key present, as a rewrite may drop the text). */
  private maybeReword(description: string | undefined): { description?: string | undefined } {
    return this.chance(this.rates.describe) ? { description: rewordDescription(this.random, description) } : {};
  }

  /** A peripheral renamed, moved, its register file re-based; undefined when removed. */
  peripheral(p: Peripheral, taken: Set<string>): Peripheral | undefined {
    if (this.chance(this.rates.remove / 2)) return undefined;
    // Peripherals are few per map, so they are mutated more often to give the model enough examples.
    const name = this.maybeRename(taken, p.name, '', this.rates.rename * 2.5);
    const baseAddress = this.chance(this.rates.move * 3) ? p.baseAddress + 0x1_0000 * (1 + Math.floor(this.random() * 4)) : p.baseAddress;
    // Occasionally the whole register file is re-based inside the peripheral (nRF52840 CC_HOST_RGF).
    const shift = this.chance(this.rates.move / 3) ? 0x1000 : 0;
    this.truth.set(p.path, name);
    return { ...p, name, path: name, baseAddress, registers: this.nodes(p.registers, name, name, shift) };
  }

  /** The registers and clusters of one level: each mutated, sometimes one added. */
  private nodes(nodes: readonly RegisterNode[], newParent: string, peripheralName: string, shift: number): RegisterNode[] {
    const taken = usedNames(nodes.map((n) => n.name));
    const offsets = new Set(nodes.map((n) => n.offset));
    const out: RegisterNode[] = [];
    for (const node of nodes) {
      if (node.kind === 'cluster') {
        const path = `${newParent}.${node.name}`;
        out.push({ ...node, path, offset: node.offset + shift, children: this.nodes(node.children, path, peripheralName, 0) });
        continue;
      }
      const register = this.register(node, { newParent, peripheralName, shift, taken, offsets });
      if (register) out.push(register);
    }
    if (this.chance(this.rates.add * 3)) out.push(this.addedRegister(taken, offsets, newParent, peripheralName, shift));
    return out;
  }

  /** A register renamed, moved past its neighbours, narrowed, its fields mutated; undefined when removed. */
  private register(
    node: Register,
    at: { newParent: string; peripheralName: string; shift: number; taken: Set<string>; offsets: ReadonlySet<number> },
  ): Register | undefined {
    if (this.chance(this.rates.remove)) return undefined;
    const name = this.maybeRename(at.taken, node.name, at.peripheralName);
    let offset = node.offset + at.shift;
    if (this.chance(this.rates.move)) {
      let target = offset + 4 * (1 + Math.floor(this.random() * 8));
      while (at.offsets.has(target - at.shift)) target += 4;
      offset = target;
    }
    const size = this.chance(this.rates.resize / 2) && node.size === 32 ? 16 : node.size;
    const path = `${at.newParent}.${name}`;
    this.truth.set(node.path, path);
    return { ...node, name, path, offset, size, fields: this.fields(node.fields, path, size), ...this.maybeReword(node.description) };
  }

  /** A new register after the last one, with one field: nothing in the old map became it. */
  private addedRegister(taken: Set<string>, offsets: ReadonlySet<number>, newParent: string, peripheralName: string, shift: number): Register {
    const name = this.freshName(taken, pick(this.random, FRESH_WORDS), peripheralName);
    const offset = Math.max(0, ...[...offsets].map((o) => o + shift)) + 4 * (1 + Math.floor(this.random() * 4));
    const fieldName = pick(this.random, FRESH_WORDS);
    const span = this.device.span;
    return {
      kind: 'register',
      name,
      path: `${newParent}.${name}`,
      span,
      description: `${name} register`,
      offset,
      size: 32,
      resetValue: 0n,
      resetMask: 0n,
      fields: [{ kind: 'field', name: fieldName, path: `${newParent}.${name}.${fieldName}`, span, lsb: 0, width: 8, access: { sw: 'rw', hw: 'r' } }],
    };
  }

  /** The fields of one register: each removed, split or mutated, sometimes one added. */
  private fields(fields: readonly Field[], newRegister: string, size: number): Field[] {
    const taken = usedNames(fields.map((f) => f.name));
    const bits = new Occupancy(fields, size);
    const out: Field[] = [];
    for (const f of fields) {
      if (this.chance(this.rates.remove)) continue;
      if (f.width >= 4 && !f.segments && this.chance(this.rates.split)) {
        out.push(...this.split(f, newRegister));
        continue;
      }
      out.push(this.field(f, newRegister, taken, bits));
    }
    if (this.chance(this.rates.add * 4)) {
      const added = this.addedField(taken, bits, newRegister);
      if (added) out.push(added);
    }
    return out;
  }

  /** A field split into a low and a high part; the original's fate is ambiguous, so it is not scored. */
  private split(f: Field, newRegister: string): Field[] {
    this.ignore.add(f.path);
    const low = Math.floor(f.width / 2);
    const parts: [string, number, number][] = [
      [`${f.name}_L`, f.lsb, low],
      [`${f.name}_H`, f.lsb + low, f.width - low],
    ];
    return parts.map(([name, lsb, width]) => ({ ...f, name, path: `${newRegister}.${name}`, lsb, width, enums: undefined }));
  }

  /** A field renamed, widened (or narrowed when it cannot widen), moved to free bits, its access flipped. */
  private field(f: Field, newRegister: string, taken: Set<string>, bits: Occupancy): Field {
    const name = this.maybeRename(taken, f.name, newRegister.split('.').pop() ?? '');
    let { lsb, width } = f;
    if (!f.segments && this.chance(this.rates.resize)) {
      const wider = width + 1 + Math.floor(this.random() * 3);
      if (bits.fits(lsb + width, wider - width)) {
        bits.take(lsb + width, wider - width);
        width = wider;
      } else if (width > 1) width = width - 1;
    }
    if (!f.segments && this.chance(this.rates.move)) {
      const target = bits.freeRun(width);
      if (target !== undefined) {
        bits.release(f.lsb, f.width);
        bits.take(target, width);
        lsb = target;
      }
    }
    const path = `${newRegister}.${name}`;
    this.truth.set(f.path, path);
    const enums = this.enums(f.enums, path, width);
    return {
      ...f,
      name,
      path,
      lsb,
      width,
      ...(enums ? { enums } : {}),
      ...this.maybeReword(f.description),
      ...(this.chance(this.rates.resize / 2) ? { access: { ...f.access, sw: f.access.sw === 'rw' ? 'r' : 'rw' } } : {}),
    };
  }

  /** A new field of 1–4 bits in the first free run, if the register has room. */
  private addedField(taken: Set<string>, bits: Occupancy, newRegister: string): Field | undefined {
    const width = 1 + Math.floor(this.random() * 4);
    const lsb = bits.freeRun(width);
    const name = this.freshName(taken, pick(this.random, FRESH_WORDS), '');
    if (lsb === undefined) return undefined;
    return {
      kind: 'field',
      name,
      path: `${newRegister}.${name}`,
      span: this.device.span,
      lsb,
      width,
      access: { sw: 'rw', hw: 'r' },
      description: `${name} control`,
    };
  }

  /** A field's enumerations: each value removed, renamed or renumbered into a free value. */
  private enums(sets: readonly EnumSet[] | undefined, newField: string, width: number): EnumSet[] | undefined {
    if (!sets) return undefined;
    return sets.map((set) => {
      const taken = usedNames(set.values.map((v) => v.name));
      const numbers = new Set(set.values.map((v) => v.value));
      const values: EnumValue[] = [];
      for (const v of set.values) {
        if (this.chance(this.rates.remove)) continue;
        const name = this.maybeRename(taken, v.name, newField);
        let value = v.value;
        if (this.chance(this.rates.move / 2)) {
          const free = Array.from({ length: Math.min(2 ** width, 64) }, (_, k) => k).filter((k) => !numbers.has(k));
          if (free.length > 0) {
            value = pick(this.random, free);
            numbers.add(value);
          }
        }
        this.truth.set(v.path, `${newField}.${name}`);
        values.push({ ...v, name, value, path: `${newField}.${name}`, ...this.maybeReword(v.description) });
      }
      return { ...set, values };
    });
  }
}
