import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { bitMask, bitMaskExact, hex } from '../../src/ir/bits.ts';
import type { EnumValueView, FieldView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { cComment } from '../framework/escape.ts';
import type { SymbolOwner, SymbolTable } from '../framework/identifiers.ts';
import { cType, type Define, lit, registerSymbol } from './c-syntax.ts';

/** The macros of one register: offset, counts, reset, neutral bits, accessors and every field's Pos/Width/Msk/enum values. */

export interface RegisterBlock {
  readonly comment: string;
  readonly defines: readonly Define[];
}

const INDEX_NAMES = ['i', 'j', 'k', 'l', 'm', 'n'];

/** `(0x10u + (i) * 0x20u + (j) * 0x4u)`: the byte offset of a register element. */
function offsetExpression(reg: RegisterView): { params: string; expr: string } {
  if (reg.arrayLevels.length === 0) return { params: '', expr: lit(reg.absOffset) };
  const idx = reg.arrayLevels.map((_, i) => INDEX_NAMES[i] ?? `i${i}`);
  const terms = reg.arrayLevels.map((level, i) => ` + (uint32_t)(${idx[i]}) * ${lit(level.stride)}`).join('');
  return { params: `(${idx.join(', ')})`, expr: `(${lit(reg.absOffset)}${terms})` };
}

/** The macros every field gets; an enum value with one of these names would take the field's macro. */
const FIELD_MACRO_SUFFIXES = new Set(['Pos', 'Width', 'Msk', 'RESET']);

export function registerBlock(p: PeripheralView, reg: RegisterView, symbols: SymbolTable, diagnostics: Diagnostic[]): RegisterBlock {
  const sym = registerSymbol(p.typeName, reg);
  const { type, width } = cType(reg.size);
  const { params, expr } = offsetExpression(reg);
  const defines: Define[] = [];
  // Function-like macros are claimed by their bare name: `X(a)` and `X` cannot coexist either.
  const define = (name: string, value: string, owner: SymbolOwner, comment?: string): void => {
    const paren = name.indexOf('(');
    if (symbols.claimFor(paren < 0 ? name : name.slice(0, paren), owner)) defines.push(comment ? { name, value, comment } : { name, value });
  };
  define(`${sym}_OFFSET${params}`, expr, reg);
  // The accessor macros' parameters: the base, the element's indices, then their own.
  const args = params ? `base, ${params.slice(1, -1)}` : 'base';
  const base = `(${args})`;
  const addr = `((uintptr_t)(base) + ${sym}_OFFSET${params})`;
  reg.arrayLevels.forEach((level, i) => {
    const suffixName = reg.arrayLevels.length === 1 ? '' : String(i);
    define(`${sym}_COUNT${suffixName}`, String(level.count) + 'u', reg);
  });
  define(`${sym}_RESET`, lit(reg.resetValue, reg.size), reg);
  define(
    `${sym}_NEUTRAL_Msk`,
    lit(reg.neutralMask, reg.size),
    reg,
    reg.neutralMask ? 'bits every read-modify-write forces (flags with write side effects)' : undefined,
  );
  define(`${sym}_NEUTRAL_Val`, lit(reg.neutralValue, reg.size), reg);
  define(`${sym}_WRITE_BASE`, lit(reg.writeBase, reg.size), reg);
  if (reg.readable) define(`${sym}_READ${base}`, `sd_read${width}(${addr})`, reg);
  if (reg.writable) define(`${sym}_WRITE${`(${args}, value)`}`, `sd_write${width}(${addr}, (${type})(value))`, reg);
  const aliases = p.atomicAliases;
  if (aliases?.set !== undefined && aliases.clear !== undefined && reg.writable) {
    // Atomic aliases (board overlay): modify writes the bits to clear to the clear alias and the
    // bits to set to the set alias. No read, and no other bit is ever written.
    define(
      `${sym}_MODIFY${`(${args}, value, mask)`}`,
      `sd_modify_alias${width}(${addr}, (${type})(value), (${type})(mask), ${lit(aliases.set)}, ${lit(aliases.clear)})`,
      reg,
      'through the atomic set/clear aliases',
    );
  } else if (reg.readable && reg.writable && !reg.readSideEffect) {
    define(
      `${sym}_MODIFY${`(${args}, value, mask)`}`,
      `sd_modify${width}(${addr}, (${type})(value), (${type})(mask), ${sym}_NEUTRAL_Msk, ${sym}_NEUTRAL_Val)`,
      reg,
    );
  }
  if (reg.writable && aliases) {
    for (const [kind, delta] of [
      ['SET', aliases?.set],
      ['CLEAR', aliases?.clear],
      ['TOGGLE', aliases?.toggle],
    ] as const) {
      if (delta !== undefined)
        define(`${sym}_${kind}${`(${args}, bits)`}`, `sd_write${width}(${addr} + ${lit(delta)}, (${type})(bits))`, reg, `atomic ${kind.toLowerCase()} alias`);
    }
  }
  // Indexed loops: a for…of in code not yet optimised allocates an iterator result per step.
  for (let i = 0; i < reg.fields.length; i++) {
    const f = reg.fields[i] as FieldView;
    const fs = `${sym}_${f.name}`;
    const description = cComment(f.description);
    const note = f.accessLabel && description ? `${f.accessLabel}: ${description}` : f.accessLabel || description;
    define(`${fs}_Pos`, `${f.lsb}u`, f, note);
    define(`${fs}_Width`, `${f.width}u`, f);
    // The view's number mask is exact up to 2^53; a 64-bit register's field above it is computed
    // from the segments in BigInt (only there: this runs for every field of a chip).
    define(`${fs}_Msk`, lit(reg.size <= 32 ? f.mask : f.segments.reduce((m, s) => m | bitMaskExact(s.lsb, s.width), 0n), reg.size), f);
    if (f.reset !== undefined) define(`${fs}_RESET`, lit(f.reset, reg.size), f);
    if (f.array?.index === 0 && f.segments.length === 1) {
      // Indexed access to a field array (P0..P7 above): P_Pos(n), P_Msk(n), P_Count.
      const as = `${sym}_${f.array.name}`;
      const owner = { path: `${reg.path}.${f.array.name}[]`, span: f.span };
      define(`${as}_Pos(n)`, `(${f.array.firstLsb}u + (uint32_t)(n) * ${f.array.stride}u)`, owner, `${f.array.name}0..${f.array.count - 1}: element n`);
      define(`${as}_Msk(n)`, `(${lit(bitMask(0, f.width), reg.size)} << ${as}_Pos(n))`, owner);
      define(`${as}_Count`, `${f.array.count}u`, owner);
    }
    for (let j = 0; j < f.enumValues.length; j++) {
      const e = f.enumValues[j] as EnumValueView;
      // nRF54L15 CRACENCORE RNGCONTROL.STATUS.STATE has an enum value RESET next to the field's reset:
      // the field's macro keeps the name and the value is left out, as duplicate enum values are.
      if (FIELD_MACRO_SUFFIXES.has(e.name)) {
        diagnostics.push({
          code: 'generate/duplicate-enum',
          severity: 'warning',
          message: `enum value ${e.name} of ${f.path} is left out of the C header: ${fs}_${e.name} is the field's own macro`,
          span: f.span,
          path: `${f.path}.${e.name}`,
        });
        continue;
      }
      define(`${fs}_${e.name}`, lit(e.value, reg.size), { path: `${f.path}.${e.name}`, span: f.span }, cComment(e.description) || undefined);
    }
  }
  const access = reg.readSideEffect && !(aliases?.set !== undefined && aliases.clear !== undefined) ? ' Reading has side effects: no MODIFY.' : '';
  return { comment: `${reg.nameParts.join('.')} (${hex(reg.absOffset)}, ${reg.size} bits): ${cComment(reg.description)}${access}`, defines };
}
