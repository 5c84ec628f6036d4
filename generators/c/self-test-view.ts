import { andMask, orBits } from '../../src/ir/bits.ts';
import type { DeviceAnalysis, FieldView, RegisterView } from '../framework/analysis.ts';
import { cString } from '../framework/escape.ts';
import { memberName } from '../framework/identifiers.ts';
import { registerSymbol } from './c-syntax.ts';

export interface SelfTestView {
  readonly offsets: readonly { readonly label: string; readonly actual: string; readonly expected: string }[];
  /** Per field: its register's symbol and its own name, which the template joins into the Pos/Width/Msk macro names. */
  readonly fields: readonly { readonly label: string; readonly sym: string; readonly name: string }[];
  readonly registers: readonly { readonly label: string; readonly fieldMasks: string; readonly fieldSum: string }[];
}

/** Per layout with a struct overlay: the members of its `T_Type` whose offset the header asserts. */
export type OverlayOffsets = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The layout self-test compares what the compiler made of the structs (offsetof) with the offset
 * macros, each field's mask with its position and width, and that fields of a register are disjoint.
 */
export function selfTestView(analysis: DeviceAnalysis, overlays: OverlayOffsets): SelfTestView {
  const offsets: SelfTestView['offsets'][number][] = [];
  const fields: SelfTestView['fields'][number][] = [];
  const registers: SelfTestView['registers'][number][] = [];
  for (const p of analysis.types) {
    // A set per layout, not a search of its asserts per register (quadratic on N657: docs/performance.md).
    const checked = overlays.get(p.typeName);
    if (checked) {
      for (const reg of p.registers) {
        if (reg.nameParts.length !== 1 || reg.arrayLevels.length > 1) continue;
        const member = memberName(reg.name, 'c');
        if (!checked.has(member)) continue;
        const sym = registerSymbol(p.typeName, reg);
        offsets.push({
          label: cString(reg.path),
          actual: `offsetof(${p.typeName}_Type, ${member})`,
          expected: `${sym}_OFFSET${reg.arrayLevels.length ? '(0)' : ''}`,
        });
      }
    }
    for (let r = 0; r < p.registers.length; r++) {
      const reg = p.registers[r] as RegisterView;
      const sym = registerSymbol(p.typeName, reg);
      for (let i = 0; i < reg.fields.length; i++) {
        const f = reg.fields[i] as FieldView;
        if (f.segments.length === 1) fields.push({ label: cString(f.path), sym, name: f.name });
      }
      if (reg.fields.length > 1) {
        // Deliberate read-only/write-only pairs share bits; disjointness is only checked where none do.
        let union = 0;
        let overlapping = false;
        for (let i = 0; i < reg.fields.length; i++) {
          const mask = (reg.fields[i] as FieldView).mask;
          overlapping ||= andMask(union, mask) !== 0;
          union = orBits(union, mask);
        }
        if (overlapping) continue;
        // The same mask terms, OR-ed and added: made once.
        const masks = reg.fields.map((f) => `(uint64_t)${sym}_${f.name}_Msk`);
        registers.push({ label: cString(reg.path), fieldMasks: masks.join(' | '), fieldSum: masks.join(' + ') });
      }
    }
  }
  return { offsets, fields, registers };
}
