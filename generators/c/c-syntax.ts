import { hex } from '../../src/ir/bits.ts';
import type { RegisterView } from '../framework/analysis.ts';

/** C spellings shared by every part of the C target: integer types, literals, file and register names. */

export interface Define {
  readonly name: string;
  readonly value: string;
  readonly comment?: string;
}

/** C integer type and literal suffix for a register width. */
export function cType(size: number): { type: string; width: number; suffix: string } {
  if (size <= 8) return { type: 'uint8_t', width: 8, suffix: 'u' };
  if (size <= 16) return { type: 'uint16_t', width: 16, suffix: 'u' };
  if (size <= 32) return { type: 'uint32_t', width: 32, suffix: 'u' };
  return { type: 'uint64_t', width: 64, suffix: 'ull' };
}

export function lit(value: number | bigint, size = 32): string {
  return `${hex(value)}${cType(size).suffix}`;
}

export function fileStem(name: string): string {
  return name.toLowerCase();
}

export function registerSymbol(typeName: string, reg: RegisterView): string {
  return [typeName, ...reg.nameParts].join('_');
}
