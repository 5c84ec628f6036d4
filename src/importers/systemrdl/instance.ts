import type { SourceSpan } from '../../ir/types.ts';
import type { ComponentKind } from './ast.ts';
import { asBool, asInt, type Value } from './values.ts';

/** The elaborated instance tree (elaborate.ts builds it, layout.ts places it, to-ir.ts reads it). */

export interface PropEntry {
  readonly value: Value;
  readonly span: SourceSpan;
  /** The assigned value's own text, for errors about it (a bad property reference). */
  readonly valueSpan?: SourceSpan;
}

export interface Inst {
  readonly kind: ComponentKind | 'root';
  readonly name: string;
  readonly typeName?: string;
  /** Where the instance is declared (its name). */
  readonly span: SourceSpan;
  readonly props: Map<string, PropEntry>;
  readonly children: Inst[];
  readonly byName: Map<string, Inst>;
  readonly parent?: Inst;
  readonly external?: 'external' | 'internal';
  /** Array dimensions (not for fields: there `[n]` is a width). */
  dims: number[];
  at?: bigint;
  strideGiven?: bigint;
  alignGiven?: bigint;
  /** Resolved by layout. */
  offset?: bigint;
  stride?: bigint;
  aliasOf?: Inst;
  /** Field: written bit range or width. */
  bits?: { readonly hi: number; readonly lo: number; readonly lowHigh: boolean } | { readonly width: number };
  lsb?: number;
  width?: number;
  /** Fields of a reg placed msb0 (`[low:high]`). */
  msb0?: boolean;
  /** An instantiation in its body failed: emptiness checks would only echo that error. */
  incomplete?: boolean;
}

export function propValue(inst: Inst, name: string): Value | undefined {
  return inst.props.get(name)?.value;
}
export function propInt(inst: Inst, name: string): bigint | undefined {
  const v = propValue(inst, name);
  return v ? asInt(v) : undefined;
}
export function propBool(inst: Inst, name: string): boolean {
  const v = propValue(inst, name);
  return v ? asBool(v) === true : false;
}
export function isPresent(inst: Inst): boolean {
  const v = propValue(inst, 'ispresent');
  return v ? asBool(v) !== false : true;
}
export function swAccess(inst: Inst): string {
  const v = propValue(inst, 'sw');
  return v?.t === 'access' ? v.v : 'rw';
}
