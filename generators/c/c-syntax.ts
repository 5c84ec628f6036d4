import { hex } from '../../src/ir/bits.ts';
import type { RegisterView } from '../framework/analysis.ts';

/** C spellings shared by every part of the C target: integer types, literals, file and register names. */

export interface Define {
  readonly name: string;
  readonly value: string;
  readonly comment?: string;
}

export interface CType {
  readonly type: string;
  readonly width: number;
  readonly suffix: string;
}

const U8: CType = { type: 'uint8_t', width: 8, suffix: 'u' };
const U16: CType = { type: 'uint16_t', width: 16, suffix: 'u' };
const U32: CType = { type: 'uint32_t', width: 32, suffix: 'u' };
const U64: CType = { type: 'uint64_t', width: 64, suffix: 'ull' };

/** C integer type and literal suffix for a register width. */
export function cType(size: number): CType {
  if (size <= 8) return U8;
  if (size <= 16) return U16;
  if (size <= 32) return U32;
  return U64;
}

export function lit(value: number | bigint, size = 32): string {
  return `${hex(value)}${cType(size).suffix}`;
}

export function fileStem(name: string): string {
  return name.toLowerCase();
}

export function registerSymbol(typeName: string, reg: RegisterView): string {
  return `${typeName}_${reg.nameParts.join('_')}`;
}
