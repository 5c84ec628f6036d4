import { applyBinary, applyUnary, type UnaryOperator } from '../../expr/constant/index.ts';
import type { Expr, Pos } from './ast.ts';

/**
 * SystemRDL values and the constant-expression evaluator (clause 6.5, SystemVerilog operator set).
 * Integers are `longint unsigned` (64-bit, wrap-around) and carry a width, because concatenation,
 * replication and reset checks depend on it: `4'b1010` is 4 bits, an unsized `10` is 64.
 */

export type AccessValue = 'rw' | 'r' | 'w' | 'rw1' | 'w1' | 'na';
export type OnReadValue = 'rclr' | 'rset' | 'ruser';
export type OnWriteValue = 'woset' | 'woclr' | 'wot' | 'wzs' | 'wzc' | 'wzt' | 'wclr' | 'wset' | 'wuser';

export interface EnumType {
  readonly name: string;
  readonly members: readonly {
    readonly name: string;
    readonly value: bigint;
    readonly width: number;
    readonly desc?: string;
    readonly displayName?: string;
    readonly at: Pos;
  }[];
  readonly at: Pos;
}

export interface StructType {
  readonly name: string;
  readonly abstract: boolean;
  readonly members: ReadonlyMap<string, string>;
  /** The struct it derives from (`struct b : a`). */
  readonly base?: StructType;
}

/** An elaborated instance, as far as values need to know it (see instance.ts). */
export interface InstRef {
  readonly kind: string;
  readonly name: string;
}

export type Value =
  | { readonly t: 'int'; readonly v: bigint; readonly width: number; readonly sized: boolean }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'access'; readonly v: AccessValue }
  | { readonly t: 'onread'; readonly v: OnReadValue }
  | { readonly t: 'onwrite'; readonly v: OnWriteValue }
  | { readonly t: 'addressing'; readonly v: 'compact' | 'regalign' | 'fullalign' }
  | { readonly t: 'precedence'; readonly v: 'hw' | 'sw' }
  | { readonly t: 'ref'; readonly inst: InstRef; readonly prop?: string }
  | { readonly t: 'enumType'; readonly def: EnumType }
  | { readonly t: 'enumValue'; readonly def: EnumType; readonly member: string; readonly v: bigint; readonly width: number }
  | { readonly t: 'struct'; readonly type: StructType; readonly members: ReadonlyMap<string, Value> }
  | { readonly t: 'array'; readonly items: readonly Value[] };

const MASK64 = (1n << 64n) - 1n;

export function int(v: bigint, width = 64, sized = false): Value {
  return { t: 'int', v: v & MASK64, width, sized };
}

/** Keyword literals usable as values (clause 6.1/Table 7). `wr` is a synonym of `rw`. */
export function keywordValue(name: string): Value | undefined {
  switch (name) {
    case 'rw':
    case 'wr':
      return { t: 'access', v: 'rw' };
    case 'r':
    case 'w':
    case 'rw1':
    case 'w1':
    case 'na':
      return { t: 'access', v: name };
    case 'rclr':
    case 'rset':
    case 'ruser':
      return { t: 'onread', v: name };
    case 'woset':
    case 'woclr':
    case 'wot':
    case 'wzs':
    case 'wzc':
    case 'wzt':
    case 'wclr':
    case 'wset':
    case 'wuser':
      return { t: 'onwrite', v: name };
    case 'compact':
    case 'regalign':
    case 'fullalign':
      return { t: 'addressing', v: name };
    case 'hw':
    case 'sw':
      return { t: 'precedence', v: name };
    default:
      return undefined;
  }
}

export function describeValue(v: Value): string {
  switch (v.t) {
    case 'int':
      return v.sized ? `${v.width}'d${v.v}` : String(v.v);
    case 'bool':
      return String(v.v);
    case 'string':
      return JSON.stringify(v.v);
    case 'ref':
      return `reference to ${v.inst.kind} ${v.inst.name}${v.prop ? `->${v.prop}` : ''}`;
    case 'enumType':
      return `enum ${v.def.name}`;
    case 'enumValue':
      return `${v.def.name}::${v.member}`;
    case 'struct':
      return `struct ${v.type.name}`;
    case 'array':
      return `array of ${v.items.length}`;
    default:
      return `${v.t} ${v.v}`;
  }
}

export function typeName(v: Value): string {
  switch (v.t) {
    case 'int':
      return 'an integer';
    case 'bool':
      return 'a boolean';
    case 'string':
      return 'a string';
    case 'access':
      return 'an access type';
    case 'onread':
      return 'an onread type';
    case 'onwrite':
      return 'an onwrite type';
    case 'addressing':
      return 'an addressing type';
    case 'precedence':
      return 'a precedence type';
    case 'ref':
      return v.prop ? 'a property reference' : `a reference to a ${v.inst.kind}`;
    case 'enumType':
      return 'an enum type';
    case 'enumValue':
      return 'an enum value';
    case 'struct':
      return 'a struct';
    case 'array':
      return 'an array';
  }
}

/** Integer view of a value (booleans and enum values convert), or undefined. */
export function asInt(v: Value): bigint | undefined {
  if (v.t === 'int' || v.t === 'enumValue') return v.v;
  if (v.t === 'bool') return v.v ? 1n : 0n;
  return undefined;
}

export function asBool(v: Value): boolean | undefined {
  if (v.t === 'bool') return v.v;
  if (v.t === 'int') return v.v !== 0n;
  return undefined;
}

function widthOf(v: Value): number {
  if (v.t === 'int' || v.t === 'enumValue') return v.width;
  return 1;
}

export interface EvalScope {
  /** Resolves a plain or hierarchical name (parameter, keyword, instance, property reference). */
  resolveRef(expr: Extract<Expr, { kind: 'ref' }>): Value | undefined;
  resolveEnum(name: string): EnumType | undefined;
  resolveStruct(name: string): StructType | undefined;
  report(code: string, message: string, at: Pos): void;
}

export class EvalError extends Error {}

/** Evaluates a constant expression; problems are reported and give undefined. */
export function evaluate(e: Expr, scope: EvalScope): Value | undefined {
  try {
    return evalExpr(e, scope);
  } catch (err) {
    if (err instanceof EvalError) return undefined;
    throw err;
  }
}

function fail(scope: EvalScope, code: string, message: string, at: Pos): never {
  scope.report(code, message, at);
  throw new EvalError(message);
}

function needInt(v: Value, scope: EvalScope, at: Pos, what: string): bigint {
  const n = asInt(v);
  if (n === undefined) fail(scope, 'rdl/type-error', `${what} needs a number, not ${typeName(v)}`, at);
  return n;
}

function evalExpr(e: Expr, scope: EvalScope): Value {
  switch (e.kind) {
    case 'number':
      return int(e.value, e.width ?? 64, e.width !== undefined);
    case 'string':
      return { t: 'string', v: e.value };
    case 'bool':
      return { t: 'bool', v: e.value };
    case 'ref': {
      const v = scope.resolveRef(e);
      if (!v) throw new EvalError('unresolved');
      return v;
    }
    case 'enumRef': {
      const def = scope.resolveEnum(e.enumName.name);
      if (!def) fail(scope, 'rdl/undefined-type', `no enum named ${e.enumName.name}`, e.enumName);
      const m = def.members.find((x) => x.name === e.member.name);
      if (!m) fail(scope, 'rdl/undefined-reference', `enum ${def.name} has no member ${e.member.name}`, e.member);
      return { t: 'enumValue', def, member: m.name, v: m.value, width: m.width };
    }
    case 'unary': {
      const v = evalExpr(e.operand, scope);
      if (e.op === '!') {
        // An enum value casts like its integer (systemrdl-compiler does the same).
        const b = v.t === 'enumValue' ? v.v !== 0n : asBool(v);
        if (b === undefined) fail(scope, 'rdl/type-error', `'!' needs a boolean or number, not ${typeName(v)}`, e);
        return { t: 'bool', v: !b };
      }
      const n = needInt(v, scope, e, `'${e.op}'`);
      const w = widthOf(v);
      const value = applyUnary(e.op as UnaryOperator, n, w);
      // + - ~ keep the operand's width; the reductions give one bit.
      if (e.op === '+' || e.op === '-' || e.op === '~') return int(value, w, v.t === 'int' && v.sized);
      return int(value, 1, true);
    }
    case 'binary':
      return evalBinary(e, scope);
    case 'ternary': {
      const c = evalExpr(e.cond, scope);
      const b = asBool(c);
      if (b === undefined) fail(scope, 'rdl/type-error', `the condition needs a boolean or number, not ${typeName(c)}`, e.cond);
      return b ? evalExpr(e.then, scope) : evalExpr(e.else, scope);
    }
    case 'concat': {
      let v = 0n;
      let width = 0;
      for (const item of e.items) {
        const x = evalExpr(item, scope);
        if (x.t === 'string') {
          // Concatenating strings is allowed when every operand is a string.
          const strings = e.items.map((i) => evalExpr(i, scope));
          if (strings.every((v) => v.t === 'string')) return { t: 'string', v: strings.map((v) => (v.t === 'string' ? v.v : '')).join('') };
          fail(scope, 'rdl/type-error', 'cannot concatenate strings with numbers', item);
        }
        const n = needInt(x, scope, item, 'concatenation');
        if (x.t === 'int' && !x.sized)
          fail(scope, 'rdl/unsized-in-concat', `the operand ${describeValue(x)} of a concatenation needs a width (write e.g. 8'd${x.v})`, item);
        const w = widthOf(x);
        v = (v << BigInt(w)) | (n & ((1n << BigInt(w)) - 1n));
        width += w;
      }
      return int(v, Math.min(width, 64), true);
    }
    case 'replicate': {
      const count = needInt(evalExpr(e.count, scope), scope, e.count, 'replication count');
      if (count <= 0n || count > 64n) fail(scope, 'rdl/bad-replication', `replication count ${count} must be between 1 and 64`, e.count);
      const inner = evalExpr({ kind: 'concat', items: e.items, start: e.start, end: e.end }, scope);
      if (inner.t === 'string') return { t: 'string', v: inner.v.repeat(Number(count)) };
      const w = widthOf(inner);
      let v = 0n;
      for (let k = 0n; k < count; k++) v = (v << BigInt(w)) | asInt(inner)!;
      return int(v, Math.min(w * Number(count), 64), true);
    }
    case 'cast': {
      const v = evalExpr(e.operand, scope);
      if (e.to === 'boolean') {
        // An enum value casts like its integer (systemrdl-compiler does the same).
        const b = v.t === 'enumValue' ? v.v !== 0n : asBool(v);
        if (b === undefined) fail(scope, 'rdl/type-error', `cannot cast ${typeName(v)} to boolean`, e);
        return { t: 'bool', v: b };
      }
      const n = needInt(v, scope, e.operand, 'a cast');
      if (e.to === 'longint') return int(n, 64, false);
      if (e.to === 'bit') return int(n & 1n, 1, true);
      const w = needInt(evalExpr(e.to, scope), scope, e.to, 'a width cast');
      if (w <= 0n || w > 64n) fail(scope, 'rdl/bad-width', `cast width ${w} must be between 1 and 64`, e.to);
      return int(n & ((1n << w) - 1n), Number(w), true);
    }
    case 'arrayLit':
      return { t: 'array', items: e.items.map((i) => evalExpr(i, scope)) };
    case 'structLit': {
      const type = scope.resolveStruct(e.typeName.name);
      if (!type) fail(scope, 'rdl/undefined-type', `no struct named ${e.typeName.name}`, e.typeName);
      if (type.abstract) fail(scope, 'rdl/type-error', `struct ${type.name} is abstract`, e.typeName);
      const members = new Map<string, Value>();
      for (const m of e.members) {
        if (!type.members.has(m.name.name)) fail(scope, 'rdl/undefined-reference', `struct ${type.name} has no member ${m.name.name}`, m.name);
        members.set(m.name.name, evalExpr(m.value, scope));
      }
      for (const name of type.members.keys()) {
        if (!members.has(name)) fail(scope, 'rdl/type-error', `struct literal of ${type.name} lacks member ${name}`, e);
      }
      return { t: 'struct', type, members };
    }
  }
}

function evalBinary(e: Extract<Expr, { kind: 'binary' }>, scope: EvalScope): Value {
  const a = evalExpr(e.left, scope);
  if (e.op === '&&' || e.op === '||') {
    const x = asBool(a);
    if (x === undefined) fail(scope, 'rdl/type-error', `'${e.op}' needs booleans, not ${typeName(a)}`, e.left);
    if (e.op === '&&' && !x) return { t: 'bool', v: false };
    if (e.op === '||' && x) return { t: 'bool', v: true };
    const b = evalExpr(e.right, scope);
    const y = asBool(b);
    if (y === undefined) fail(scope, 'rdl/type-error', `'${e.op}' needs booleans, not ${typeName(b)}`, e.right);
    return { t: 'bool', v: y };
  }
  const b = evalExpr(e.right, scope);
  if (e.op === '==' || e.op === '!=') {
    let equal: boolean;
    if (a.t === 'string' || b.t === 'string' || a.t === 'access' || a.t === 'onread' || a.t === 'onwrite' || a.t === 'addressing' || a.t === 'precedence') {
      if (a.t !== b.t) fail(scope, 'rdl/type-error', `cannot compare ${typeName(a)} with ${typeName(b)}`, e);
      equal = (a as { v: unknown }).v === (b as { v: unknown }).v;
    } else equal = needInt(a, scope, e.left, `'${e.op}'`) === needInt(b, scope, e.right, `'${e.op}'`);
    return { t: 'bool', v: e.op === '==' ? equal : !equal };
  }
  const x = needInt(a, scope, e.left, `'${e.op}'`);
  const y = needInt(b, scope, e.right, `'${e.op}'`);
  const width = Math.max(widthOf(a), widthOf(b));
  const sized = (a.t === 'int' && a.sized) || (b.t === 'int' && b.sized);
  switch (e.op) {
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { t: 'bool', v: applyBinary(e.op, x, y) === 1n };
    case '/':
    case '%':
      if (y === 0n) fail(scope, 'rdl/division-by-zero', `division by zero`, e.right);
      return int(applyBinary(e.op, x, y), width, sized);
    case '**':
      // Past 2**64 the 64-bit result of an even base is 0 (an odd base is taken as 0 too).
      if (y > 64n && x > 1n) return int(0n, width, sized);
      return int(x ** y, width, sized);
    case '<<':
    case '>>':
      return int(y >= 64n ? 0n : applyBinary(e.op, x, y), widthOf(a), a.t === 'int' && a.sized);
    case '+':
    case '-':
    case '*':
    case '&':
    case '|':
    case '^':
    case '~^':
    case '^~':
      return int(applyBinary(e.op, x, y, width), width, sized);
    default:
      fail(scope, 'rdl/syntax', `unknown operator ${e.op}`, e);
  }
}
