import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { hex } from '../../src/ir/bits.ts';
import type { PeripheralView } from '../framework/analysis.ts';
import { cComment } from '../framework/escape.ts';
import { SymbolTable } from '../framework/identifiers.ts';
import type { ResolvedOperation } from '../framework/operations.ts';
import { type Define, fileStem, lit } from './c-syntax.ts';
import { type OperationView, operationView } from './operation-view.ts';
import { type RegisterBlock, registerBlock } from './register-macros.ts';
import { overlay, type StructView } from './struct-overlay.ts';

/**
 * View-model of the C target: every identifier, constant, struct member and statement, computed
 * so the templates only lay them out. A peripheral header is assembled here from its passes
 * (register-macros.ts, struct-overlay.ts, operation-view.ts); the test programs have their own
 * (self-test-view.ts, runner-view.ts). Symbols are checked for collisions per header.
 */
export interface PeripheralHeaderView {
  readonly file: string;
  readonly guard: string;
  readonly comment: string;
  readonly ownsType: boolean;
  readonly typeHeader: string;
  readonly registers: readonly RegisterBlock[];
  readonly structs: readonly StructView[];
  readonly overlayNote: string;
  readonly hasOverlay: boolean;
  /** Emit NAME_REGS (the layout's owner has a struct overlay). */
  readonly hasPointer: boolean;
  readonly typeName: string;
  readonly instanceName: string;
  readonly instance: readonly Define[];
  readonly operations: readonly OperationView[];
}

export function peripheralView(
  p: PeripheralView,
  ops: readonly ResolvedOperation[],
  ownerFile: string,
  diagnostics: Diagnostic[],
  ownerHasOverlay = false,
): PeripheralHeaderView {
  const symbols = new SymbolTable(`include/${fileStem(p.name)}.h`, diagnostics);
  const registers = p.ownsType ? p.registers.map((r) => registerBlock(p, r, symbols, diagnostics)) : [];
  const ov = p.ownsType ? overlay(p) : { structs: [], note: '' };
  const instance: Define[] = [];
  const claim = (name: string, value: string, comment?: string): void => {
    if (symbols.claim(name, p.path, p.span)) instance.push({ name, value, ...(comment ? { comment } : {}) });
  };
  claim(`${p.name}_BASE`, lit(p.baseAddress), cComment(p.description));
  // The overlay pointer is NAME_REGS, not NAME: a bare peripheral name as a macro would rewrite any
  // struct member of the same name in another header (nRF52840: POWER peripheral, RADIO.POWER).
  const pointer = p.ownsType ? ov.structs.length > 0 : ownerHasOverlay;
  if (pointer) symbols.claim(`${p.name}_REGS`, p.path, p.span);
  return {
    file: `include/${fileStem(p.name)}.h`,
    guard: `SD_${p.name.toUpperCase()}_H`,
    comment: `${p.name} at ${hex(p.baseAddress, 8)}${p.ownsType ? '' : `, layout ${p.typeName}_Type (defined in ${fileStem(p.typeOwner)}.h)`}: ${cComment(p.description)}`,
    ownsType: p.ownsType,
    typeHeader: ownerFile,
    registers,
    structs: ov.structs,
    overlayNote: ov.note,
    hasOverlay: ov.structs.length > 0,
    hasPointer: pointer,
    typeName: p.typeName,
    instanceName: p.name,
    instance,
    operations: p.ownsType ? ops.map((o) => operationView(p, o)) : [],
  };
}
