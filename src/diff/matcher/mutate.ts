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
  const random = seededRandom(seed);
  const truth = new Map<string, string>();
  const ignore = new Set<string>();
  const chance = (p: number): boolean => random() < p;
  const used = (names: Iterable<string>): Set<string> => new Set([...names].map((n) => n.toLowerCase()));
  const freshName = (taken: Set<string>, base: string, context: string): string => {
    for (let k = 0; k < 6; k++) {
      const candidate = renameLike(random, base, context);
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
    let n = 2;
    while (taken.has(`${base}_${n}`.toLowerCase())) n++;
    return `${base}_${n}`;
  };

  const mutateEnums = (sets: readonly EnumSet[] | undefined, newField: string, width: number): EnumSet[] | undefined => {
    if (!sets) return undefined;
    return sets.map((set) => {
      const taken = used(set.values.map((v) => v.name));
      const values: EnumValue[] = [];
      const numbers = new Set(set.values.map((v) => v.value));
      for (const v of set.values) {
        if (chance(rates.remove)) continue;
        let name = v.name;
        if (chance(rates.rename)) {
          name = freshName(taken, v.name, newField);
          taken.add(name.toLowerCase());
        }
        let value = v.value;
        if (chance(rates.move / 2)) {
          const free = Array.from({ length: Math.min(2 ** width, 64) }, (_, k) => k).filter((k) => !numbers.has(k));
          if (free.length > 0) {
            value = pick(random, free);
            numbers.add(value);
          }
        }
        truth.set(v.path, `${newField}.${name}`);
        values.push({
          ...v,
          name,
          value,
          path: `${newField}.${name}`,
          ...(chance(rates.describe) ? { description: rewordDescription(random, v.description) } : {}),
        });
      }
      return { ...set, values };
    });
  };

  const mutateFields = (fields: readonly Field[], newRegister: string, size: number): Field[] => {
    const taken = used(fields.map((f) => f.name));
    const occupied = new Set<number>();
    for (const f of fields) for (let b = f.lsb; b < f.lsb + f.width; b++) occupied.add(b);
    const freeRun = (width: number): number | undefined => {
      for (let lsb = 0; lsb + width <= size; lsb++) {
        let ok = true;
        for (let b = lsb; b < lsb + width && ok; b++) ok = !occupied.has(b);
        if (ok) return lsb;
      }
      return undefined;
    };
    const out: Field[] = [];
    for (const f of fields) {
      if (chance(rates.remove)) continue;
      if (f.width >= 4 && !f.segments && chance(rates.split)) {
        // Split into a low and a high part; the original's fate is ambiguous, so it is not scored.
        ignore.add(f.path);
        const low = Math.floor(f.width / 2);
        const parts: [string, number, number][] = [
          [`${f.name}_L`, f.lsb, low],
          [`${f.name}_H`, f.lsb + low, f.width - low],
        ];
        for (const [name, lsb, width] of parts) out.push({ ...f, name, path: `${newRegister}.${name}`, lsb, width, enums: undefined });
        continue;
      }
      let name = f.name;
      if (chance(rates.rename)) {
        name = freshName(taken, f.name, newRegister.split('.').pop() ?? '');
        taken.add(name.toLowerCase());
      }
      let { lsb, width } = f;
      if (!f.segments && chance(rates.resize)) {
        const wider = width + 1 + Math.floor(random() * 3);
        let ok = lsb + wider <= size;
        for (let b = lsb + width; b < lsb + wider && ok; b++) ok = !occupied.has(b);
        if (ok) {
          for (let b = lsb + width; b < lsb + wider; b++) occupied.add(b);
          width = wider;
        } else if (width > 1) width = width - 1;
      }
      if (!f.segments && chance(rates.move)) {
        const target = freeRun(width);
        if (target !== undefined) {
          for (let b = f.lsb; b < f.lsb + f.width; b++) occupied.delete(b);
          for (let b = target; b < target + width; b++) occupied.add(b);
          lsb = target;
        }
      }
      const path = `${newRegister}.${name}`;
      truth.set(f.path, path);
      const enums = mutateEnums(f.enums, path, width);
      out.push({
        ...f,
        name,
        path,
        lsb,
        width,
        ...(enums ? { enums } : {}),
        ...(chance(rates.describe) ? { description: rewordDescription(random, f.description) } : {}),
        ...(chance(rates.resize / 2) ? { access: { ...f.access, sw: f.access.sw === 'rw' ? 'r' : 'rw' } } : {}),
      });
    }
    if (chance(rates.add * 4)) {
      const width = 1 + Math.floor(random() * 4);
      const lsb = freeRun(width);
      const name = freshName(taken, pick(random, FRESH_WORDS), '');
      if (lsb !== undefined)
        out.push({
          kind: 'field',
          name,
          path: `${newRegister}.${name}`,
          span: device.span,
          lsb,
          width,
          access: { sw: 'rw', hw: 'r' },
          description: `${name} control`,
        });
    }
    return out;
  };

  const mutateNodes = (nodes: readonly RegisterNode[], newParent: string, peripheralName: string, shift: number): RegisterNode[] => {
    const taken = used(nodes.map((n) => n.name));
    const offsets = new Set(nodes.map((n) => n.offset));
    const out: RegisterNode[] = [];
    for (const node of nodes) {
      if (node.kind === 'cluster') {
        const path = `${newParent}.${node.name}`;
        out.push({ ...node, path, offset: node.offset + shift, children: mutateNodes(node.children, path, peripheralName, 0) });
        continue;
      }
      if (chance(rates.remove)) continue;
      let name = node.name;
      if (chance(rates.rename)) {
        name = freshName(taken, node.name, peripheralName);
        taken.add(name.toLowerCase());
      }
      let offset = node.offset + shift;
      if (chance(rates.move)) {
        let target = offset + 4 * (1 + Math.floor(random() * 8));
        while (offsets.has(target - shift)) target += 4;
        offset = target;
      }
      const size = chance(rates.resize / 2) && node.size === 32 ? 16 : node.size;
      const path = `${newParent}.${name}`;
      truth.set(node.path, path);
      const register: Register = {
        ...node,
        name,
        path,
        offset,
        size,
        fields: mutateFields(node.fields, path, size),
        ...(chance(rates.describe) ? { description: rewordDescription(random, node.description) } : {}),
      };
      out.push(register);
    }
    if (chance(rates.add * 3)) {
      const name = freshName(taken, pick(random, FRESH_WORDS), peripheralName);
      const offset = Math.max(0, ...[...offsets].map((o) => o + shift)) + 4 * (1 + Math.floor(random() * 4));
      const fieldName = pick(random, FRESH_WORDS);
      out.push({
        kind: 'register',
        name,
        path: `${newParent}.${name}`,
        span: device.span,
        description: `${name} register`,
        offset,
        size: 32,
        resetValue: 0n,
        resetMask: 0n,
        fields: [
          { kind: 'field', name: fieldName, path: `${newParent}.${name}.${fieldName}`, span: device.span, lsb: 0, width: 8, access: { sw: 'rw', hw: 'r' } },
        ],
      });
    }
    return out;
  };

  const takenPeripherals = used(device.peripherals.map((p) => p.name));
  const peripherals: Peripheral[] = [];
  for (const p of device.peripherals) {
    if (chance(rates.remove / 2)) continue;
    let name = p.name;
    // Peripherals are few per map, so they are mutated more often to give the model enough examples.
    if (chance(rates.rename * 2.5)) {
      name = freshName(takenPeripherals, p.name, '');
      takenPeripherals.add(name.toLowerCase());
    }
    const baseAddress = chance(rates.move * 3) ? p.baseAddress + 0x1_0000 * (1 + Math.floor(random() * 4)) : p.baseAddress;
    // Occasionally the whole register file is re-based inside the peripheral (nRF52840 CC_HOST_RGF).
    const shift = chance(rates.move / 3) ? 0x1000 : 0;
    truth.set(p.path, name);
    peripherals.push({ ...p, name, path: name, baseAddress, registers: mutateNodes(p.registers, name, name, shift) });
  }
  return { device: { ...device, peripherals }, truth, ignore };
}
