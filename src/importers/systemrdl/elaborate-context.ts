import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceSpan } from '../../ir/types.ts';
import type { Expr, Pos, RefSegment } from './ast.ts';
import type { Inst } from './instance.ts';
import { BUILTIN_PROPERTIES, REFERENCE_ONLY_PROPERTIES } from './properties.ts';
import { lookupEnum, lookupParam, lookupStruct, type Scope, type UserProperty } from './scope.ts';
import type { SourceMap } from './source-map.ts';
import { asInt, describeValue, evaluate, keywordValue, typeName, type EvalScope, type Value } from './values.ts';

export interface ElaborateOptions {
  /** Name of the addrmap to elaborate; default: the last one never instantiated. */
  readonly top?: string;
  readonly maxNodes: number;
  readonly maxDim: number;
  readonly maxDepth: number;
}

/** Thrown past a limit (node count, depth): elaboration stops with the diagnostic already reported. */
export class LimitExceeded extends Error {}

/**
 * What every elaboration pass shares: locations, diagnostics, the user-defined properties, and
 * values (constant expressions resolved against a scope: parameters, keywords, enums, instances).
 */
export class ElaborationContext {
  protected readonly udps = new Map<string, UserProperty>();
  protected nodes = 0;

  constructor(
    protected readonly map: SourceMap,
    protected readonly fileName: string,
    protected readonly diags: DiagnosticCollector,
    protected readonly options: ElaborateOptions,
  ) {}

  span(p: Pos): SourceSpan {
    return this.map.span(p.start, p.end, this.fileName);
  }
  protected error(code: string, message: string, p: Pos, hint?: string): void {
    this.diags.error(code, message, this.span(p), hint ? { hint } : undefined);
  }

  protected evalPropValue(e: Expr, scope: Scope): Value | undefined {
    return evaluate(e, this.evalScope(scope));
  }

  evalScope(scope: Scope | undefined): EvalScope {
    return {
      resolveRef: (e) => (scope ? this.resolveRef(e, scope) : undefined),
      resolveEnum: (name) => (scope ? lookupEnum(scope, name) : undefined),
      resolveStruct: (name) => (scope ? lookupStruct(scope, name) : undefined),
      report: (code, message, at) => this.error(code, message, at),
    };
  }

  protected resolveRef(e: Extract<Expr, { kind: 'ref' }>, scope: Scope): Value | undefined {
    const first = e.segments[0]!;
    if (first.indices.length === 0 && !e.prop) {
      const param = lookupParam(scope, first.name.name);
      if (param) return this.structMembers(param, e.segments.slice(1));
    }
    if (e.segments.length === 1 && first.indices.length === 0 && !e.prop) {
      const name = first.name.name;
      const kw = keywordValue(name);
      if (kw) return kw;
      const en = lookupEnum(scope, name);
      if (en) return { t: 'enumType', def: en };
    }
    // Instances are visible in the body that declares them; from enclosing bodies only signals are
    // (clause 5.1.4, as systemrdl-compiler resolves names).
    let found: Inst | undefined = scope.inst.byName.get(first.name.name);
    for (let s: Scope | undefined = scope.parent; s && !found; s = s.parent) {
      const outer = s.inst.byName.get(first.name.name);
      if (outer?.kind === 'signal') found = outer;
    }
    if (!found) {
      this.error('rdl/undefined-reference', `nothing named ${first.name.name} is visible here`, first.name);
      return undefined;
    }
    let target: Inst = found;
    this.checkIndices(first, target, scope);
    for (const seg of e.segments.slice(1)) {
      const child: Inst | undefined = target.byName.get(seg.name.name);
      if (!child) {
        this.error('rdl/undefined-reference', `${target.name} has no instance named ${seg.name.name}`, seg.name);
        return undefined;
      }
      this.checkIndices(seg, child, scope);
      target = child;
    }
    if (e.prop) {
      const p = e.prop.name;
      if (!BUILTIN_PROPERTIES.has(p) && !REFERENCE_ONLY_PROPERTIES.has(p) && !this.udps.has(p)) {
        this.error('rdl/unknown-property', `unknown property ${p} in reference`, e.prop);
        return undefined;
      }
      return { t: 'ref', inst: target, prop: p };
    }
    return { t: 'ref', inst: target };
  }

  /** `P.a.b` on a struct-valued parameter: its members, one segment at a time. */
  protected structMembers(value: Value, segments: readonly RefSegment[]): Value | undefined {
    let v = value;
    for (const seg of segments) {
      const member = v.t === 'struct' && seg.indices.length === 0 ? v.members.get(seg.name.name) : undefined;
      if (!member) {
        this.error('rdl/undefined-reference', `${describeValue(v)} has no member ${seg.name.name}`, seg.name);
        return undefined;
      }
      v = member;
    }
    return v;
  }

  protected intOf(e: Expr, scope: Scope, what: string): bigint | undefined {
    const v = evaluate(e, this.evalScope(scope));
    if (!v) return undefined;
    const n = asInt(v);
    if (n === undefined) this.error('rdl/type-error', `${what} must be a number, not ${typeName(v)}`, e);
    return n;
  }

  protected checkIndices(seg: RefSegment, child: Inst, scope: Scope): void {
    if (seg.indices.length === 0) return;
    if (seg.indices.length !== child.dims.length) {
      this.error('rdl/bad-index', `${child.name} has ${child.dims.length} array dimension(s); ${seg.indices.length} index(es) given`, seg.name);
      return;
    }
    for (const [k, e] of seg.indices.entries()) {
      const v = evaluate(e, this.evalScope(scope));
      const n = v ? asInt(v) : undefined;
      if (n !== undefined && (n < 0n || n >= BigInt(child.dims[k]!))) this.error('rdl/bad-index', `index ${n} is outside ${child.name}[${child.dims[k]}]`, e);
    }
  }
}
