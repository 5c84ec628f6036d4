import { describe, expect, it } from 'vitest';
import { analyseDevice } from '../../../generators/framework/analysis.ts';
import { importText } from '../../../src/importers/index.ts';

// Peripherals of one layout share a type (C `T_Type`, the SDKs' layout classes): the analysis groups
// them by structure, node by node (generators/framework/layout-names.ts `sameLayout`).
const peripheral = (name: string, base: string, description: string, enumValue: number, extraField = '') => `
  ${name}:
    base: ${base}
    size: 0x100
    description: ${description}
    registers:
      CTRL:
        offset: 0x00
        description: Control of ${name}.
        fields:
          EN: { bits: 0, access: rw, description: Enable. }
          MODE: { bits: 2..1, access: rw, enum: { OFF: 0, ON: ${enumValue} } }${extraField}
      STATUS:
        offset: 0x04
        fields:
          BUSY: { bits: 0, access: r }
`;

const spec = `spec: specdrive/hardware@1
board: groups
revision: a
peripherals:${peripheral('TIMA1', '0x40000000', 'First.', 1)}${peripheral('TIMA2', '0x40001000', 'Other prose, same layout.', 1)}${peripheral(
  'TIMB1',
  '0x40002000',
  'An enum value differs.',
  2,
)}${peripheral('TIMC1', '0x40003000', 'A field more.', 1, '\n          LOCK: { bits: 3, access: w }')}${peripheral('TIMA3', '0x40004000', 'Same as the first again.', 1)}`;

describe('layout groups', () => {
  it('puts peripherals of one structure in one group, whatever their prose, and splits on any structural difference', () => {
    const imported = importText(spec, 'groups.yaml');
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const analysis = analyseDevice(imported.value!, []);
    const typeOf = Object.fromEntries(analysis.peripherals.map((p) => [p.name, `${p.typeName} owned by ${p.typeOwner}`]));
    expect(typeOf.TIMA2).toBe(typeOf.TIMA1);
    expect(typeOf.TIMA3).toBe(typeOf.TIMA1);
    expect(new Set([typeOf.TIMA1, typeOf.TIMB1, typeOf.TIMC1]).size).toBe(3);
    expect(typeOf.TIMA1).toMatch(/owned by TIMA1$/);
    expect(analysis.types.map((t) => t.name)).toEqual(['TIMA1', 'TIMB1', 'TIMC1']);
  });
});
