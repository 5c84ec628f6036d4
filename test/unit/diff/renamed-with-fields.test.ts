import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { affixChanges } from '../../../src/diff/renamed-with-fields.ts';
import { deviceFrom } from './helpers.ts';

/**
 * A register renamed and moved whose fields gain or lose an affix the way the register does
 * (held-out-4's first class, seen since session 6: a status register copied into a non-secure and
 * a secure one with prefixed flags; low-power enable registers renamed `*LP*` → `*SM*` with their
 * enables). Specs and names of our own. Each "finds" test fails without `renamed-with-fields.ts`;
 * each guard fails without the check it names.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`).sort();
const pairing = (cs: ChangeSet, before: string) => cs.changes.find((c) => c.before?.path === before && c.after !== undefined);

const KEY = `KEY: { offset: 0x8, fields: { KEY: { bits: 31..0, access: w, description: Unlock key } } }`;
const flags = (prefix: string, words: string, names: readonly (readonly [string, number])[]) =>
  names
    .map(([n, bit]) => `${n === 'VERR' ? n : `${prefix}${n}`}: { bits: ${bit}, access: r, description: ${n === 'VERR' ? '' : words}${n.toLowerCase()} flag }`)
    .join(', ');
const STATUS_FLAGS = [
  ['DONE', 0],
  ['PERR', 1],
  ['GERR', 3],
  ['WERR', 4],
  ['AERR', 5],
  ['ZERR', 6],
  ['QERR', 7],
  ['BUSY', 16],
] as const;
const GONE = [
  ['MERR', 8],
  ['FERR', 9],
  ['RERR', 14],
] as const;
const before = `${KEY}\nSR: { offset: 0x10, description: Status register, fields: { ${flags('', '', [...STATUS_FLAGS, ['VERR', 15], ...GONE])} } }`;
// The non-secure copy keeps VERR under its own name; the secure copy prefixes every flag.
const nonSecure = `NSSR: { offset: 0x20, description: Port status register, fields: { ${flags('NS', 'Non-secure ', [...STATUS_FLAGS, ['VERR', 15]])} } }`;
const secure = `SECSR: { offset: 0x24, description: Port status register, fields: { ${flags('SEC', 'Secure ', STATUS_FLAGS)} } }`;

describe('a register renamed with its fields', () => {
  it('finds the register renamed and moved, its prefixed fields renamed, nothing removed', () => {
    const cs = diff(before, `${KEY}\n${nonSecure}\n${secure}`);
    const found = rules(cs);
    expect(found).toContain('register-renamed UART0.SR UART0.NSSR');
    expect(found).toContain('register-moved UART0.SR UART0.NSSR');
    for (const [name] of STATUS_FLAGS) expect(found).toContain(`field-renamed UART0.SR.${name} UART0.NSSR.NS${name}`);
    expect(found.filter((r) => r.startsWith('register-removed') || r.startsWith('field-removed'))).toEqual(
      GONE.map(([n]) => `field-removed UART0.SR.${n} -`).sort(),
    );
    expect(found).toContain('register-added - UART0.SECSR');
    expect(pairing(cs, 'UART0.SR.VERR')).toBeUndefined(); // kept in place: no change at all
  });

  it('guard: two copies renamed alike and nothing else to tell them apart pair neither', () => {
    const noVerr = before.replace(/, VERR: [^}]*}/, '');
    const cs = diff(noVerr, `${KEY}\n${nonSecure.replace(/, VERR: [^}]*}/, '')}\n${secure}`);
    expect(rules(cs)).toContain('register-removed UART0.SR -');
    expect(pairing(cs, 'UART0.SR')).toBeUndefined();
  });

  it('guard: a change of digits alone is no rename convention (another instance), both alignments otherwise', () => {
    expect(affixChanges('ch1cfg', 'ch2cfg')).toEqual([]);
    expect(affixChanges('en1', 'en2')).toEqual([]);
    expect(affixChanges('sr', 'secsr')).toEqual(['>ecs', '>sec']);
    expect(affixChanges('dma1lpen', 'dma1smen')).toEqual(['lp>sm']);
  });
});

describe('the same rename applied to fields that left for another register', () => {
  const lowPower = `BUSLPENR: { offset: 0x28, description: Bus clock enable in low-power mode, fields: {
    DMALPEN: { bits: 24, access: rw, description: DMA clock enable in low-power mode },
    CRCLPEN: { bits: 12, access: rw, description: CRC clock enable in low-power mode },
    SRAMLPEN: { bits: 16, access: rw, description: SRAM clock enable in low-power mode },
    PORTALPEN: { bits: 0, access: rw, description: Port A clock enable in low-power mode },
    PORTBLPEN: { bits: 1, access: rw, description: Port B clock enable in low-power mode } } }`;
  const sleep = `BUSSMENR: { offset: 0x40, description: Bus clock enable in sleep mode, fields: {
    DMASMEN: { bits: 0, access: rw, description: DMA clock enable in sleep mode },
    CRCSMEN: { bits: 12, access: rw, description: CRC clock enable in sleep mode },
    SRAMSMEN: { bits: 9, access: rw, description: SRAM clock enable in sleep mode } } }
PORTSMENR: { offset: 0x44, description: Port clock enable in sleep mode, fields: {
    PORTASMEN: { bits: 0, access: rw, description: Port A clock enable in sleep mode },
    PORTBSMEN: { bits: 1, access: rw, description: Port B clock enable in sleep mode } } }`;

  it('pairs the register, its enables in it, and the enables now in another register', () => {
    const found = rules(diff(`${KEY}\n${lowPower}`, `${KEY}\n${sleep}`));
    expect(found).toContain('register-renamed UART0.BUSLPENR UART0.BUSSMENR');
    expect(found).toContain('field-renamed UART0.BUSLPENR.DMALPEN UART0.BUSSMENR.DMASMEN');
    expect(found).toContain('field-renamed UART0.BUSLPENR.PORTALPEN UART0.PORTSMENR.PORTASMEN');
    expect(found).toContain('field-moved UART0.BUSLPENR.PORTBLPEN UART0.PORTSMENR.PORTBSMEN');
    expect(found.filter((r) => r.includes('-removed') || r.startsWith('field-added'))).toEqual([]);
  });
});
