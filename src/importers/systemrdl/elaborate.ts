import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceSpan } from '../../ir/types.ts';
import type { ComponentDef, ComponentKind, Expr, Ident, InstanceDecl, Instantiation, Pos, PropertyDef, RdlFile, RefSegment, Statement } from './ast.ts';
import { BUILTIN_PROPERTIES, closestName, REFERENCE_ONLY_PROPERTIES, type PropRule, type PropType } from './properties.ts';
import { checkReferences } from './references.ts';
import type { SourceMap } from './source-map.ts';
import { asBool, asInt, describeValue, evaluate, keywordValue, typeName, type EnumType, type EvalScope, type StructType, type Value } from './values.ts';

/**
 * Elaboration (clause 5–13): turns the syntax tree into a tree of component instances with
 * resolved properties, then lays it out (field bit positions, addresses) and checks it.
 *
 * Component bodies are elaborated at each instantiation, with the parameter values of that
 * instance, so parameterised types and dynamic assignments (`a.b->p = v`, which only touch this
 * instance) need no copying. Default property assignments bind to a definition where it is
 * written (lexically), as in systemrdl-compiler: a snapshot of the defaults in scope is kept with
 * each type.
 */

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

interface TypeEntry {
  readonly def: ComponentDef;
  readonly scope: Scope;
  readonly defaults: ReadonlyMap<string, DefaultEntry>;
}

interface DefaultEntry {
  readonly name: string;
  readonly value: Value | undefined;
  readonly span: SourceSpan;
}

interface Scope {
  readonly parent?: Scope;
  readonly inst: Inst;
  readonly types: Map<string, TypeEntry>;
  readonly enums: Map<string, EnumType>;
  readonly structs: Map<string, StructType>;
  readonly params: Map<string, Value>;
  readonly defaults: Map<string, DefaultEntry>;
}

interface UserProperty {
  readonly def: PropertyDef;
  readonly rule: PropRule;
}

const ALLOWED_CHILDREN: Readonly<Record<ComponentKind | 'root', readonly ComponentKind[]>> = {
  root: ['signal'],
  addrmap: ['addrmap', 'regfile', 'reg', 'mem', 'signal'],
  regfile: ['regfile', 'reg', 'signal'],
  reg: ['field', 'signal'],
  mem: ['reg'],
  field: ['signal'],
  signal: [],
};

export interface ElaborateOptions {
  /** Name of the addrmap to elaborate; default: the last one never instantiated. */
  readonly top?: string;
  readonly maxNodes: number;
  readonly maxDim: number;
  readonly maxDepth: number;
}

export function elaborate(file: RdlFile, map: SourceMap, fileName: string, diags: DiagnosticCollector, options: ElaborateOptions): Inst | undefined {
  return new Elaborator(map, fileName, diags, options).run(file);
}

class LimitExceeded extends Error {}

class Elaborator {
  private readonly udps = new Map<string, UserProperty>();
  private nodes = 0;

  constructor(
    private readonly map: SourceMap,
    private readonly fileName: string,
    private readonly diags: DiagnosticCollector,
    private readonly options: ElaborateOptions,
  ) {}

  span(p: Pos): SourceSpan {
    return this.map.span(p.start, p.end, this.fileName);
  }
  private error(code: string, message: string, p: Pos, hint?: string): void {
    this.diags.error(code, message, this.span(p), hint ? { hint } : undefined);
  }

  run(file: RdlFile): Inst | undefined {
    const root: Inst = { kind: 'root', name: '$root', span: this.span({ start: 0, end: 0 }), props: new Map(), children: [], byName: new Map(), dims: [] };
    const scope = newScope(undefined, root);
    try {
      this.body(file.statements, scope, root);
      const top = this.chooseTop(file, scope);
      if (!top) return undefined;
      // The top is instantiated with its parameters' defaults (they are in scope in its body).
      const params = this.paramValues(top, { paramOverrides: [], instances: [], start: top.def.start, end: top.def.end }, scope);
      if (!params) return undefined;
      const inst = this.instantiateOne(
        top,
        { name: { name: top.def.name!.name, start: top.def.name!.start, end: top.def.name!.end }, start: top.def.start, end: top.def.end },
        undefined,
        root,
        scope,
        params,
        0,
      );
      if (!inst) return undefined;
      new Layout(this.diags).run(inst);
      checkReferences(inst, this.diags);
      return inst;
    } catch (e) {
      if (e instanceof LimitExceeded) return undefined;
      throw e;
    }
  }

  /** The last root addrmap definition that no instantiation names (what systemrdl-compiler picks). */
  private chooseTop(file: RdlFile, scope: Scope): TypeEntry | undefined {
    const used = new Set<string>();
    const collect = (stmts: readonly Statement[]): void => {
      for (const s of stmts) {
        if (s.kind === 'instantiate') used.add(s.typeName.name);
        if (s.kind === 'component') collect(s.def.body);
      }
    };
    collect(file.statements);
    const addrmaps = [...scope.types.values()].filter((t) => t.def.component === 'addrmap');
    if (this.options.top !== undefined) {
      const chosen = addrmaps.find((t) => t.def.name?.name === this.options.top);
      if (!chosen) {
        this.diags.error(
          'rdl/no-top',
          `no root addrmap named ${this.options.top}; root addrmaps: ${addrmaps.map((t) => t.def.name?.name).join(', ') || 'none'}`,
          this.span({ start: 0, end: 0 }),
        );
      }
      return chosen;
    }
    const candidates = addrmaps.filter((t) => !used.has(t.def.name?.name ?? ''));
    const top = candidates[candidates.length - 1];
    if (!top) {
      this.diags.error('rdl/no-top', 'the file defines no addrmap at the root that could be the top of the register map', this.span({ start: 0, end: 0 }), {
        hint: 'wrap the registers in `addrmap NAME { ... };`',
      });
    }
    return top;
  }

  // ------------------------------------------------------------------ bodies

  private body(stmts: readonly Statement[], scope: Scope, inst: Inst): void {
    const local = new Map<string, PropEntry & { group?: string }>();
    for (const s of stmts) {
      switch (s.kind) {
        case 'component': {
          const entry: TypeEntry = { def: s.def, scope, defaults: flattenDefaults(scope) };
          if (s.def.name) this.defineType(scope, s.def.name, entry);
          if (s.inst) this.instantiate(entry, s.inst, scope, inst);
          break;
        }
        case 'instantiate': {
          const entry = lookupType(scope, s.typeName.name);
          if (!entry) {
            const known = [...allTypeNames(scope)];
            const near = closestName(s.typeName.name, known);
            this.error(
              'rdl/undefined-type',
              `no component type named ${s.typeName.name} is defined here`,
              s.typeName,
              near ? `did you mean ${near}?` : undefined,
            );
            inst.incomplete = true;
            break;
          }
          this.instantiate(entry, s.inst, scope, inst);
          break;
        }
        case 'enum':
          this.defineEnum(s.def, scope);
          break;
        case 'struct': {
          if (scope.structs.has(s.def.name.name)) this.error('rdl/duplicate-type', `struct ${s.def.name.name} is already defined in this scope`, s.def.name);
          const base = s.def.base ? lookupStruct(scope, s.def.base.name) : undefined;
          if (s.def.base && !base) this.error('rdl/undefined-type', `no struct named ${s.def.base.name}`, s.def.base);
          const members = new Map<string, string>(base?.members ?? []);
          for (const m of s.def.members) members.set(m.name.name, m.type.name);
          scope.structs.set(s.def.name.name, { name: s.def.name.name, abstract: s.def.abstract, members, ...(base ? { base } : {}) });
          break;
        }
        case 'property':
          this.defineUdp(s.def, inst);
          break;
        case 'constraint':
          this.diags.warning('rdl/constraint-ignored', 'constraints are parsed but not checked', this.span(s));
          break;
        case 'assign':
          this.assignStatement(s, scope, inst, local);
          break;
        case 'dynamic':
          this.dynamicStatement(s, scope, inst);
          break;
      }
    }
  }

  private defineType(scope: Scope, name: Ident, entry: TypeEntry): void {
    if (scope.types.has(name.name) || scope.enums.has(name.name)) {
      this.error('rdl/duplicate-type', `${name.name} is already defined in this scope`, name);
      return;
    }
    scope.types.set(name.name, entry);
  }

  private defineEnum(def: Extract<Statement, { kind: 'enum' }>['def'], scope: Scope): void {
    if (scope.types.has(def.name.name) || scope.enums.has(def.name.name)) {
      this.error('rdl/duplicate-type', `${def.name.name} is already defined in this scope`, def.name);
      return;
    }
    const members: EnumType['members'][number][] = [];
    let next = 0n;
    const evalScope = this.evalScope(scope);
    for (const entry of def.entries) {
      let value = next;
      let width = 64;
      if (entry.value) {
        const v = evaluate(entry.value, evalScope);
        const n = v ? asInt(v) : undefined;
        if (v && n === undefined) this.error('rdl/type-error', `enum value must be a number, not ${typeName(v)}`, entry.value);
        if (n !== undefined) value = n;
        if (v?.t === 'int' && v.sized) width = v.width;
      }
      const dup = members.find((m) => m.value === value);
      if (dup) this.error('rdl/duplicate-enum-value', `${def.name.name}::${entry.name.name} has the value ${value} of ${dup.name}`, entry.name);
      if (members.some((m) => m.name === entry.name.name))
        this.error('rdl/duplicate-name', `${def.name.name} already has an entry ${entry.name.name}`, entry.name);
      let desc: string | undefined;
      let displayName: string | undefined;
      for (const p of entry.props) {
        const v = evaluate(p.value, evalScope);
        if (p.name.name !== 'desc' && p.name.name !== 'name') {
          this.error('rdl/unknown-property', `enum entries take only name and desc, not ${p.name.name}`, p.name);
          continue;
        }
        if (v && v.t !== 'string') {
          this.error('rdl/property-type', `${p.name.name} needs a string, not ${typeName(v)}`, p.value);
          continue;
        }
        if (v?.t === 'string') {
          if (p.name.name === 'desc') desc = v.v;
          else displayName = v.v;
        }
      }
      members.push({
        name: entry.name.name,
        value,
        width,
        at: entry.name,
        ...(desc !== undefined ? { desc } : {}),
        ...(displayName !== undefined ? { displayName } : {}),
      });
      next = value + 1n;
    }
    scope.enums.set(def.name.name, { name: def.name.name, members, at: def.name });
  }

  private defineUdp(def: PropertyDef, inst: Inst): void {
    if (inst.kind !== 'root') {
      this.error('rdl/udp-not-root', 'user-defined properties must be defined at the root of the file', def.name);
      return;
    }
    if (BUILTIN_PROPERTIES.has(def.name.name) || this.udps.has(def.name.name)) {
      this.error(
        'rdl/duplicate-property',
        `property ${def.name.name} is already defined${BUILTIN_PROPERTIES.has(def.name.name) ? ' (built in)' : ''}`,
        def.name,
      );
      return;
    }
    if (def.components.length === 0) {
      this.error('rdl/syntax', `property ${def.name.name} needs 'component = ...;'`, def.name);
      return;
    }
    const on: ComponentKind[] = def.components.includes('all')
      ? ['addrmap', 'regfile', 'reg', 'field', 'mem', 'signal']
      : (def.components.filter((c) => c !== 'all' && c !== 'constraint') as ComponentKind[]);
    const t = def.type?.name;
    const types: PropType[] =
      t === undefined
        ? ['bool']
        : t === 'boolean'
          ? ['bool']
          : def.type?.array && t !== 'string'
            ? ['declared']
            : t === 'string'
              ? def.type?.array
                ? ['stringArray']
                : ['string']
              : t === 'longint' || t === 'bit' || t === 'number'
                ? ['int']
                : t === 'accesstype'
                  ? ['access']
                  : t === 'onreadtype'
                    ? ['onread']
                    : t === 'onwritetype'
                      ? ['onwrite']
                      : t === 'addressingtype'
                        ? ['addressing']
                        : t === 'precedencetype'
                          ? ['precedence']
                          : t === 'ref' || (['addrmap', 'regfile', 'reg', 'field', 'mem', 'signal'] as string[]).includes(t)
                            ? ['ref']
                            : ['declared'];
    this.udps.set(def.name.name, { def, rule: { on, types, dynamic: true } });
  }

  // ------------------------------------------------------------------ properties

  private assignStatement(s: Extract<Statement, { kind: 'assign' }>, scope: Scope, inst: Inst, local: Map<string, PropEntry & { group?: string }>): void {
    const span = this.span(s);
    // `posedge intr;` sets intr and its kind; `nonsticky intr;` clears stickybit.
    const items: { name: string; value: Value | undefined; at: Pos }[] = [];
    if (s.modifier) {
      items.push({ name: 'intr', value: { t: 'bool', v: true }, at: s.name });
      if (s.modifier.name === 'nonsticky') items.push({ name: 'stickybit', value: { t: 'bool', v: false }, at: s.modifier });
      else items.push({ name: 'intr type', value: { t: 'string', v: s.modifier.name }, at: s.modifier });
    } else {
      let value: Value | undefined;
      if (s.value) {
        value = this.evalPropValue(s.value, scope);
        if (!value) return;
      }
      items.push({ name: s.name.name, value, at: s.name });
    }
    for (const item of items) {
      const rule = this.rule(item.name, item.at);
      if (!rule) continue;
      if (s.isDefault) {
        const coerced = this.coerce(item.name, rule, item.value, s.value ?? s.name);
        if (coerced === null) continue;
        scope.defaults.set(item.name, { name: item.name, value: coerced, span });
        continue;
      }
      if (inst.kind === 'root') {
        this.error('rdl/property-not-allowed', `property ${item.name} cannot be assigned at the root; only default assignments are allowed there`, item.at);
        continue;
      }
      const previous = local.get(item.name);
      if (previous && item.name !== 'intr') {
        this.error('rdl/property-reassigned', `property ${item.name} is already assigned in this component`, item.at);
        continue;
      }
      if (rule.group) {
        const clash = [...local.entries()].find(([n, e]) => e.group === rule.group && n !== item.name);
        if (clash) {
          this.error('rdl/property-conflict', `properties ${item.name} and ${clash[0]} cannot both be set on one component`, item.at);
          continue;
        }
      }
      if (this.setProperty(inst, item.name, rule, item.value, s.value ?? item.at, span, false)) {
        local.set(item.name, { value: inst.props.get(item.name)!.value, span, ...(rule.group ? { group: rule.group } : {}) });
      }
    }
  }

  private dynamicStatement(s: Extract<Statement, { kind: 'dynamic' }>, scope: Scope, inst: Inst): void {
    const targets = this.resolveTargets(s.target, inst, scope);
    if (!targets) return;
    let value: Value | undefined;
    if (s.value) {
      value = this.evalPropValue(s.value, scope);
      if (!value) return;
    }
    const rule = this.rule(s.name.name, s.name);
    if (!rule) return;
    for (const target of targets) this.setProperty(target, s.name.name, rule, value, s.value ?? s.name, this.span(s), true);
  }

  /** Resolves `a.b[2].c` from the current component (array indices select the whole array). */
  private resolveTargets(segments: readonly RefSegment[], inst: Inst, scope: Scope): Inst[] | undefined {
    let current: Inst | undefined = inst;
    for (const [k, seg] of segments.entries()) {
      const child: Inst | undefined = current.byName.get(seg.name.name);
      if (!child) {
        const near = closestName(seg.name.name, current.byName.keys());
        this.error(
          'rdl/undefined-reference',
          `${k === 0 ? 'this component' : current.name} has no instance named ${seg.name.name}`,
          seg.name,
          near ? `did you mean ${near}?` : undefined,
        );
        return undefined;
      }
      this.checkIndices(seg, child, scope);
      current = child;
    }
    return [current];
  }

  private checkIndices(seg: RefSegment, child: Inst, scope: Scope): void {
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

  private rule(name: string, at: Pos): PropRule | undefined {
    const rule = BUILTIN_PROPERTIES.get(name) ?? this.udps.get(name)?.rule;
    if (!rule) {
      const near = closestName(name, [...BUILTIN_PROPERTIES.keys(), ...this.udps.keys()]);
      if (REFERENCE_ONLY_PROPERTIES.has(name)) this.error('rdl/property-not-allowed', `${name} can only be referenced (reg->${name}), not assigned`, at);
      else
        this.error(
          'rdl/unknown-property',
          `unknown property ${name}`,
          at,
          near
            ? `did you mean ${near}? (user-defined properties need a 'property ${name} {...};' definition)`
            : `define it with 'property ${name} { type = ...; component = ...; };'`,
        );
    }
    return rule;
  }

  /** Converts a value to what the property takes; null (after reporting) when it cannot. */
  private coerce(name: string, rule: PropRule, value: Value | undefined, at: Pos): Value | null {
    if (value === undefined) {
      // `prop;` means `prop = true`.
      if (rule.types.includes('bool')) return { t: 'bool', v: true };
      const udp = this.udps.get(name);
      if (udp?.def.defaultValue) {
        const v = evaluate(udp.def.defaultValue, this.evalScope(undefined));
        if (v) return v;
      }
      this.error('rdl/property-type', `property ${name} needs a value (${rule.types.join(' or ')})`, at);
      return null;
    }
    for (const t of rule.types) {
      switch (t) {
        case 'bool':
          if (value.t === 'bool') return value;
          if (value.t === 'int' && !rule.types.includes('int')) return { t: 'bool', v: value.v !== 0n };
          break;
        case 'int':
          if (value.t === 'int') return value;
          if (value.t === 'enumValue') return { t: 'int', v: value.v, width: value.width, sized: true };
          if (value.t === 'bool' && !rule.types.includes('bool')) return { t: 'int', v: value.v ? 1n : 0n, width: 1, sized: true };
          break;
        case 'string':
          if (value.t === 'string') return value;
          break;
        case 'access':
        case 'onread':
        case 'onwrite':
        case 'addressing':
        case 'precedence':
          if (value.t === t) return value;
          break;
        case 'ref':
          if (value.t === 'ref') return value;
          break;
        case 'enumType':
          if (value.t === 'enumType') return value;
          break;
        case 'stringArray':
          if (value.t === 'array' && value.items.every((i) => i.t === 'string')) return value;
          break;
        case 'declared': {
          // A user-defined property of a struct, enum or array type: the value must have that type.
          const declared = this.udps.get(name)?.def.type;
          if (declared && udpValueMatches(declared.name, declared.array, value)) return value;
          break;
        }
      }
    }
    this.error('rdl/property-type', `property ${name} takes ${rule.types.map(typeLabel).join(' or ')}, not ${typeName(value)} (${describeValue(value)})`, at);
    return null;
  }

  /**
   * Sets a property on an instance. Setting one property of a mutual-exclusion group removes the
   * others (a later, more specific assignment wins over a default or an earlier definition).
   */
  private setProperty(inst: Inst, name: string, rule: PropRule, raw: Value | undefined, at: Pos, span: SourceSpan, dynamic: boolean): boolean {
    if (inst.kind === 'root') return false;
    if (!rule.on.includes(inst.kind)) {
      this.error('rdl/property-not-allowed', `property ${name} does not apply to a ${inst.kind} (it applies to ${rule.on.join(', ')})`, at);
      return false;
    }
    if (dynamic && !rule.dynamic) {
      this.error('rdl/not-dynamic', `property ${name} cannot be changed by a dynamic assignment; set it in the ${inst.kind} definition`, at);
      return false;
    }
    const value = this.coerce(name, rule, raw, at);
    if (value === null) return false;
    if (rule.group) {
      for (const [other, r] of BUILTIN_PROPERTIES) if (other !== name && r.group === rule.group) inst.props.delete(other);
    }
    inst.props.set(name, { value, span, valueSpan: this.span(at) });
    return true;
  }

  private applyDefaults(inst: Inst, defaults: ReadonlyMap<string, DefaultEntry>): void {
    if (inst.kind === 'root') return;
    for (const d of defaults.values()) {
      const rule = BUILTIN_PROPERTIES.get(d.name) ?? this.udps.get(d.name)?.rule;
      if (!rule?.on.includes(inst.kind) || d.value === undefined) continue;
      if (rule.group) for (const [other, r] of BUILTIN_PROPERTIES) if (other !== d.name && r.group === rule.group) inst.props.delete(other);
      inst.props.set(d.name, { value: d.value, span: d.span });
    }
  }

  // ------------------------------------------------------------------ values

  private evalPropValue(e: Expr, scope: Scope): Value | undefined {
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

  private resolveRef(e: Extract<Expr, { kind: 'ref' }>, scope: Scope): Value | undefined {
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
  private structMembers(value: Value, segments: readonly RefSegment[]): Value | undefined {
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

  private intOf(e: Expr, scope: Scope, what: string): bigint | undefined {
    const v = evaluate(e, this.evalScope(scope));
    if (!v) return undefined;
    const n = asInt(v);
    if (n === undefined) this.error('rdl/type-error', `${what} must be a number, not ${typeName(v)}`, e);
    return n;
  }

  // ------------------------------------------------------------------ instances

  private instantiate(entry: TypeEntry, inst: Instantiation, callerScope: Scope, parent: Inst): void {
    const kind = entry.def.component;
    if (!ALLOWED_CHILDREN[parent.kind].includes(kind)) {
      const where = parent.kind === 'root' ? 'at the root of a file' : `inside ${parent.kind === 'addrmap' ? 'an' : 'a'} ${parent.kind}`;
      this.error(
        'rdl/bad-nesting',
        `a ${kind} cannot be instantiated ${where}${parent.kind === 'root' && kind === 'addrmap' ? ' (the top addrmap is chosen from definitions, not instances)' : ''}`,
        inst.instances[0]?.name ?? inst,
      );
      return;
    }
    const params = this.paramValues(entry, inst, callerScope);
    if (!params) {
      parent.incomplete = true;
      return;
    }
    let aliasOf: Inst | undefined;
    if (inst.aliasOf) {
      aliasOf = parent.byName.get(inst.aliasOf.name);
      if (!aliasOf) {
        this.error('rdl/undefined-reference', `no register named ${inst.aliasOf.name} to alias`, inst.aliasOf);
        return;
      }
      if (aliasOf.kind !== 'reg' || kind !== 'reg') {
        this.error('rdl/bad-alias', 'only registers can be aliased, by registers', inst.aliasOf);
        return;
      }
      if (aliasOf.aliasOf) this.error('rdl/bad-alias', `${aliasOf.name} is itself an alias; alias its primary`, inst.aliasOf);
    }
    for (const decl of inst.instances) {
      const child = this.instantiateOne(entry, decl, inst, parent, callerScope, params, 1 + depthOf(parent));
      if (!child) continue;
      if (aliasOf) child.aliasOf = aliasOf;
    }
  }

  private paramValues(entry: TypeEntry, inst: Instantiation, callerScope: Scope): Map<string, Value> | undefined {
    const given = new Map<string, Value>();
    for (const o of inst.paramOverrides) {
      if (!entry.def.params.some((p) => p.name.name === o.name.name)) {
        this.error('rdl/unknown-parameter', `${entry.def.name?.name ?? 'this component'} has no parameter ${o.name.name}`, o.name);
        return undefined;
      }
      if (given.has(o.name.name)) {
        this.error('rdl/duplicate-name', `parameter ${o.name.name} is given twice`, o.name);
        return undefined;
      }
      const v = evaluate(o.value, this.evalScope(callerScope));
      if (!v) return undefined;
      given.set(o.name.name, v);
    }
    const values = new Map<string, Value>();
    const paramScope: Scope = { ...newScope(entry.scope, entry.scope.inst), params: values };
    for (const p of entry.def.params) {
      let v = given.get(p.name.name);
      if (!v) {
        if (!p.defaultValue) {
          this.error(
            'rdl/missing-parameter',
            `parameter ${p.name.name} of ${entry.def.name?.name} has no default and is not given`,
            inst.instances[0]?.name ?? inst,
          );
          return undefined;
        }
        v = evaluate(p.defaultValue, this.evalScope(paramScope));
        if (!v) return undefined;
      }
      const ok = paramTypeMatches(p.type.name, p.type.array, v);
      if (!ok) {
        this.error(
          'rdl/property-type',
          `parameter ${p.name.name} is ${p.type.name}${p.type.array ? '[]' : ''}, not ${typeName(v)}`,
          inst.paramOverrides.find((o) => o.name.name === p.name.name)?.value ?? p.name,
        );
        return undefined;
      }
      values.set(p.name.name, v);
    }
    return values;
  }

  private instantiateOne(
    entry: TypeEntry,
    decl: InstanceDecl,
    inst: Instantiation | undefined,
    parent: Inst,
    callerScope: Scope,
    params: Map<string, Value>,
    depth: number,
  ): Inst | undefined {
    const kind = entry.def.component;
    if (++this.nodes > this.options.maxNodes) {
      this.error('limits/too-many-nodes', `the design elaborates to more than ${this.options.maxNodes} components`, decl.name);
      throw new LimitExceeded();
    }
    if (depth > this.options.maxDepth) {
      this.error('limits/too-deep', `components nest deeper than ${this.options.maxDepth}`, decl.name);
      throw new LimitExceeded();
    }
    if (parent.byName.has(decl.name.name)) {
      this.error('rdl/duplicate-name', `${parent.kind === 'root' ? 'the root' : parent.name} already has an instance named ${decl.name.name}`, decl.name);
      return undefined;
    }
    const child: Inst = {
      kind,
      name: decl.name.name,
      ...(entry.def.name ? { typeName: entry.def.name.name } : {}),
      span: this.span(decl.name),
      props: new Map(),
      children: [],
      byName: new Map(),
      parent,
      ...(inst?.external ? { external: inst.external } : {}),
      dims: [],
    };
    // Register before elaborating the body, so the name is taken even if the body has errors.
    parent.byName.set(child.name, child);
    parent.children.push(child);
    this.applyDefaults(child, entry.defaults);
    const bodyScope: Scope = { ...newScope(entry.scope, child), params };
    this.body(entry.def.body, bodyScope, child);
    this.instanceSuffixes(child, decl, callerScope);
    return child;
  }

  /** Array/width brackets, `= reset`, `@`, `+=`, `%=`. */
  private instanceSuffixes(child: Inst, decl: InstanceDecl, scope: Scope): void {
    const kind = child.kind;
    if (kind === 'field') {
      if (decl.dims && decl.dims.length > 1) this.error('rdl/bad-array', 'fields cannot be arrays; [n] gives a field its width', decl.dims[1]!);
      else if (decl.dims?.[0]) {
        const w = this.intOf(decl.dims[0], scope, 'a field width');
        if (w !== undefined) {
          if (w <= 0n || w > 64n) this.error('rdl/field-width', `field width ${w} must be between 1 and 64`, decl.dims[0]);
          else child.bits = { width: Number(w) };
        }
      }
      if (decl.range) {
        const a = this.intOf(decl.range[0], scope, 'a bit index');
        const b = this.intOf(decl.range[1], scope, 'a bit index');
        if (a !== undefined && b !== undefined) {
          if (a < 0n || b < 0n || a > 1023n || b > 1023n) this.error('rdl/field-out-of-range', `bit range [${a}:${b}] is out of range`, decl.range[0]);
          else child.bits = { hi: Number(a > b ? a : b), lo: Number(a > b ? b : a), lowHigh: a < b };
        }
      }
      if (decl.reset) {
        const v = evaluate(decl.reset, this.evalScope(scope));
        if (v) this.setProperty(child, 'reset', BUILTIN_PROPERTIES.get('reset')!, v, decl.reset, this.span(decl.reset), false);
      }
    } else {
      if (decl.range) this.error('rdl/bad-array', `a ${kind} cannot have a bit range; [msb:lsb] is for fields`, decl.range[0]);
      if (decl.reset) this.error('rdl/syntax', `only fields take a reset value (= value) at instantiation`, decl.reset);
      for (const d of decl.dims ?? []) {
        const n = this.intOf(d, scope, 'an array dimension');
        if (n === undefined) continue;
        if (n <= 0n || n > BigInt(this.options.maxDim)) this.error('rdl/bad-array', `array dimension ${n} must be between 1 and ${this.options.maxDim}`, d);
        else child.dims.push(Number(n));
      }
      if (kind === 'signal' && (decl.at || decl.stride || decl.align))
        this.error('rdl/syntax', 'signals have no address', decl.at ?? decl.stride ?? decl.align!);
    }
    const addressable = kind === 'reg' || kind === 'regfile' || kind === 'addrmap' || kind === 'mem';
    if (!addressable && (decl.at || decl.stride || decl.align)) {
      if (kind === 'field') this.error('rdl/syntax', 'fields have bit positions, not addresses', decl.at ?? decl.stride ?? decl.align!);
      return;
    }
    if (decl.at) {
      const n = this.intOf(decl.at, scope, 'an address');
      if (n !== undefined) child.at = n;
    }
    if (decl.stride) {
      if (child.dims.length === 0) this.error('rdl/bad-array', '+= (stride) applies only to arrays', decl.stride);
      const n = this.intOf(decl.stride, scope, 'an array stride');
      if (n !== undefined) {
        if (n <= 0n) this.error('rdl/array-stride', `array stride ${n} must be positive`, decl.stride);
        else child.strideGiven = n;
      }
    }
    if (decl.align) {
      const n = this.intOf(decl.align, scope, 'an alignment');
      if (n !== undefined) {
        if (n <= 0n || (n & (n - 1n)) !== 0n) this.error('rdl/bad-alignment', `alignment ${n} must be a power of two`, decl.align);
        else if (decl.at) this.error('rdl/syntax', '@ and %= cannot both be given', decl.align);
        else child.alignGiven = n;
      }
    }
  }
}

function depthOf(inst: Inst): number {
  let d = 0;
  for (let p = inst.parent; p; p = p.parent) d++;
  return d;
}

function newScope(parent: Scope | undefined, inst: Inst): Scope {
  return { ...(parent ? { parent } : {}), inst, types: new Map(), enums: new Map(), structs: new Map(), params: new Map(), defaults: new Map() };
}

function flattenDefaults(scope: Scope): Map<string, DefaultEntry> {
  const chain: Scope[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) chain.unshift(s);
  const out = new Map<string, DefaultEntry>();
  for (const s of chain) {
    for (const [k, v] of s.defaults) {
      // A more specific default of a mutual-exclusion group hides the outer ones (woclr vs onwrite).
      const group = BUILTIN_PROPERTIES.get(k)?.group;
      if (group) for (const [other, r] of BUILTIN_PROPERTIES) if (other !== k && r.group === group) out.delete(other);
      out.set(k, v);
    }
  }
  return out;
}

/** Looks a name up through the enclosing scopes, innermost first, in one of their tables. */
function lookup<T>(scope: Scope, table: (s: Scope) => ReadonlyMap<string, T>, name: string): T | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const found = table(s).get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}
const lookupParam = (scope: Scope, name: string): Value | undefined => lookup(scope, (s) => s.params, name);
const lookupType = (scope: Scope, name: string): TypeEntry | undefined => lookup(scope, (s) => s.types, name);
const lookupEnum = (scope: Scope, name: string): EnumType | undefined => lookup(scope, (s) => s.enums, name);
const lookupStruct = (scope: Scope, name: string): StructType | undefined => lookup(scope, (s) => s.structs, name);

function* allTypeNames(scope: Scope): Iterable<string> {
  for (let s: Scope | undefined = scope; s; s = s.parent) yield* s.types.keys();
}

function paramTypeMatches(type: string, array: boolean, v: Value): boolean {
  if (array) return v.t === 'array' && v.items.every((i) => paramTypeMatches(type, false, i));
  switch (type) {
    case 'longint':
    case 'bit':
      return v.t === 'int' || v.t === 'bool' || v.t === 'enumValue';
    case 'boolean':
      return v.t === 'bool' || v.t === 'int';
    case 'string':
      return v.t === 'string';
    case 'accesstype':
      return v.t === 'access';
    case 'onreadtype':
      return v.t === 'onread';
    case 'onwritetype':
      return v.t === 'onwrite';
    case 'addressingtype':
      return v.t === 'addressing';
    case 'precedencetype':
      return v.t === 'precedence';
    default:
      // User enum or struct types.
      return v.t === 'enumValue' ? v.def.name === type : v.t === 'struct' ? v.type.name === type : true;
  }
}

/** A user-defined property's value against its declared type: built-in types as parameters, user types exactly. */
function udpValueMatches(type: string, array: boolean, v: Value): boolean {
  if (array) return v.t === 'array' && v.items.every((i) => udpValueMatches(type, false, i));
  if (v.t === 'struct') return structIs(v.type, type);
  if (v.t === 'enumValue') return v.def.name === type;
  return BUILTIN_VALUE_TYPES.has(type) && paramTypeMatches(type, false, v);
}
function structIs(t: StructType | undefined, name: string): boolean {
  for (; t; t = t.base) if (t.name === name) return true;
  return false;
}
const BUILTIN_VALUE_TYPES = new Set(['longint', 'bit', 'boolean', 'string', 'accesstype', 'onreadtype', 'onwritetype', 'addressingtype', 'precedencetype']);

function typeLabel(t: PropType): string {
  switch (t) {
    case 'declared':
      return 'a value of its declared type';
    case 'bool':
      return 'a boolean';
    case 'int':
      return 'a number';
    case 'string':
      return 'a string';
    case 'ref':
      return 'a reference';
    case 'enumType':
      return 'an enum type';
    case 'stringArray':
      return 'an array of strings';
    default:
      return `${t === 'access' || t === 'onread' || t === 'onwrite' || t === 'addressing' ? 'an' : 'a'} ${t} value`;
  }
}

// ==================================================================== layout and checks

interface LayoutContext {
  readonly addressing: 'compact' | 'regalign' | 'fullalign';
  readonly msb0: boolean;
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

function roundupPow2(n: bigint): bigint {
  let p = 1n;
  while (p < n) p <<= 1n;
  return p;
}
function roundupTo(n: bigint, align: bigint): bigint {
  return ((n + align - 1n) / align) * align;
}

/** Bit positions, addresses, strides, sizes; then the structural checks that need them. */
class Layout {
  constructor(private readonly diags: DiagnosticCollector) {}

  private err(code: string, message: string, span: SourceSpan, hint?: string): void {
    this.diags.error(code, message, span, hint ? { hint } : undefined);
  }
  private warn(code: string, message: string, span: SourceSpan): void {
    this.diags.warning(code, message, span);
  }

  run(top: Inst): void {
    this.visit(top, { addressing: 'regalign', msb0: false });
  }

  private visit(inst: Inst, outer: LayoutContext): void {
    let ctx = outer;
    if (inst.kind === 'addrmap') {
      const a = propValue(inst, 'addressing');
      ctx = { addressing: a?.t === 'addressing' ? a.v : 'regalign', msb0: propBool(inst, 'msb0') };
    }
    for (const c of inst.children) this.visit(c, ctx);
    if (inst.kind === 'reg') this.placeFields(inst, ctx);
    if (inst.kind === 'field') this.fieldWidth(inst);
    if (inst.kind === 'addrmap' || inst.kind === 'regfile' || inst.kind === 'mem') this.placeChildren(inst, ctx);
    if (inst.kind === 'reg') this.checkRegister(inst);
  }

  private fieldWidth(f: Inst): void {
    const fw = propInt(f, 'fieldwidth');
    const bits = f.bits;
    let width: number | undefined = bits ? ('width' in bits ? bits.width : bits.hi - bits.lo + 1) : undefined;
    if (fw !== undefined) {
      if (width !== undefined && BigInt(width) !== fw) {
        this.err('rdl/field-width-mismatch', `field ${f.name} is ${width} bits wide but its fieldwidth property says ${fw}`, f.span);
      }
      width ??= Number(fw);
    }
    f.width = width ?? 1;
    if (bits && 'hi' in bits) f.lsb = bits.lo;
  }

  private placeFields(reg: Inst, ctx: LayoutContext): void {
    const regwidth = Number(propInt(reg, 'regwidth') ?? 32n);
    const fields = reg.children.filter((c) => c.kind === 'field');
    const lowHigh = fields.find((f) => f.bits && 'hi' in f.bits && f.bits.lowHigh && f.bits.hi !== f.bits.lo);
    const highLow = fields.find((f) => f.bits && 'hi' in f.bits && !f.bits.lowHigh && f.bits.hi !== f.bits.lo);
    if (lowHigh && highLow) {
      this.err('rdl/mixed-bit-order', `register ${reg.name} mixes [low:high] (${lowHigh.name}) and [high:low] (${highLow.name}) bit ranges`, lowHigh.span);
    }
    reg.msb0 = lowHigh ? true : highLow ? false : ctx.msb0;
    let prev: Inst | undefined;
    for (const f of fields) {
      if (f.lsb === undefined) {
        const w = f.width ?? 1;
        if (reg.msb0) {
          const hi = prev ? prev.lsb! - 1 : regwidth - 1;
          f.lsb = hi - w + 1;
          if (f.lsb < 0) this.err('rdl/field-out-of-range', `field ${f.name} (${w} bits) does not fit below bit ${hi + 1} of ${reg.name}`, f.span);
        } else f.lsb = prev ? prev.lsb! + (prev.width ?? 1) : 0;
      }
      prev = f;
    }
    reg.children.sort((a, b) => (a.kind === 'field' ? (a.lsb ?? 0) : -1) - (b.kind === 'field' ? (b.lsb ?? 0) : -1));
  }

  private size(inst: Inst): bigint {
    switch (inst.kind) {
      case 'reg':
        return (propInt(inst, 'regwidth') ?? 32n) / 8n;
      case 'mem': {
        const memwidth = propInt(inst, 'memwidth') ?? 32n;
        const entries = propInt(inst, 'mementries') ?? 1n;
        return (roundupPow2(memwidth < 8n ? 8n : memwidth) / 8n) * entries;
      }
      case 'regfile':
      case 'addrmap': {
        let end = 0n;
        for (const c of inst.children) {
          if (c.offset === undefined) continue;
          const e = c.offset + this.totalSize(c);
          if (e > end) end = e;
        }
        return end;
      }
      default:
        return 0n;
    }
  }

  totalSize(inst: Inst): bigint {
    const size = this.size(inst);
    if (inst.dims.length === 0) return size;
    const count = inst.dims.reduce((a, b) => a * BigInt(b), 1n);
    return (inst.stride ?? size) * count;
  }

  private placeChildren(parent: Inst, ctx: LayoutContext): void {
    const propAlign = propInt(parent, 'alignment');
    if (propAlign !== undefined && (propAlign <= 0n || (propAlign & (propAlign - 1n)) !== 0n)) {
      this.err('rdl/bad-alignment', `alignment ${propAlign} of ${parent.name} must be a power of two`, parent.props.get('alignment')!.span);
    }
    const alignment = propAlign !== undefined && propAlign > 0n ? propAlign : 1n;
    const bridge = parent.kind === 'addrmap' && propBool(parent, 'bridge');
    let prev: Inst | undefined;
    for (const c of parent.children) {
      if (c.kind !== 'reg' && c.kind !== 'regfile' && c.kind !== 'addrmap' && c.kind !== 'mem') continue;
      const size = this.size(c);
      if (c.dims.length > 0) {
        c.stride = c.strideGiven ?? size;
        if (c.strideGiven !== undefined && c.strideGiven < size) {
          this.err('rdl/array-stride', `array ${c.name} has stride 0x${c.strideGiven.toString(16)} but each element is 0x${size.toString(16)} bytes`, c.span);
        }
      }
      if (c.at !== undefined) {
        c.offset = c.at;
        if (c.at % alignment !== 0n)
          this.err('rdl/misaligned', `${c.name} at 0x${c.at.toString(16)} is not aligned to ${parent.name}'s alignment of 0x${alignment.toString(16)}`, c.span);
      } else {
        let mode: bigint;
        if (ctx.addressing === 'compact') mode = c.kind === 'reg' ? (propInt(c, 'accesswidth') ?? propInt(c, 'regwidth') ?? 32n) / 8n : 1n;
        else if (ctx.addressing === 'regalign') mode = roundupPow2(size);
        else mode = roundupPow2(this.totalSize(c));
        let align = alignment;
        if ((c.alignGiven ?? 1n) > align) align = c.alignGiven!;
        if (mode > align) align = mode;
        const next = prev === undefined || bridge ? 0n : prev.offset! + this.totalSize(prev);
        c.offset = roundupTo(next, align < 1n ? 1n : align);
      }
      prev = c;
    }
    // Address order, as systemrdl-compiler and every generator want it; signals first.
    parent.children.sort((a, b) => (a.offset === undefined ? -1 : b.offset === undefined ? 1 : a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
    // A bridge's children are alternative views of one space (clause 13.4): they share address 0.
    if (!bridge) this.checkOverlaps(parent);
    const addressable = parent.children.filter((c) => c.offset !== undefined && isPresent(c));
    if (addressable.length === 0 && parent.kind !== 'mem' && !parent.incomplete) {
      this.err('rdl/empty-component', `${parent.kind} ${parent.name} contains no registers`, parent.span);
    }
  }

  private checkOverlaps(parent: Inst): void {
    const placed = parent.children.filter((c) => c.offset !== undefined && isPresent(c));
    for (let i = 0; i < placed.length; i++) {
      const a = placed[i]!;
      const aEnd = a.offset! + this.totalSize(a);
      for (let j = i + 1; j < placed.length; j++) {
        const b = placed[j]!;
        if (b.offset! >= aEnd) break;
        if (a.kind === 'reg' && b.kind === 'reg' && complementaryAccess(a, b)) continue;
        if (a.dims.length > 0 || b.dims.length > 0) {
          // Interleaved arrays may share a range without colliding: compare the element addresses.
          if (!elementsCollide(a, b, this)) continue;
        }
        this.err(
          'rdl/address-overlap',
          `${b.name} at 0x${b.offset!.toString(16)} overlaps ${a.name} (0x${a.offset!.toString(16)}–0x${(aEnd - 1n).toString(16)})`,
          b.span,
          'give it a free address with @, or make one register read-only and the other write-only',
        );
      }
    }
  }

  private checkRegister(reg: Inst): void {
    const regwidthValue = propInt(reg, 'regwidth') ?? 32n;
    const span = reg.props.get('regwidth')?.span ?? reg.span;
    if (regwidthValue < 8n || (regwidthValue & (regwidthValue - 1n)) !== 0n) {
      this.err('rdl/bad-regwidth', `regwidth ${regwidthValue} of ${reg.name} must be a power of two of at least 8`, span);
    }
    const accesswidth = propInt(reg, 'accesswidth');
    if (accesswidth !== undefined && (accesswidth < 8n || (accesswidth & (accesswidth - 1n)) !== 0n || accesswidth > regwidthValue)) {
      this.err(
        'rdl/bad-accesswidth',
        `accesswidth ${accesswidth} of ${reg.name} must be a power of two between 8 and regwidth (${regwidthValue})`,
        reg.props.get('accesswidth')!.span,
      );
    }
    const regwidth = Number(regwidthValue);
    const fields = reg.children.filter((c) => c.kind === 'field' && isPresent(c));
    if (fields.length === 0 && !reg.incomplete) this.err('rdl/empty-register', `register ${reg.name} has no fields`, reg.span);
    for (const [i, f] of fields.entries()) {
      const lsb = f.lsb ?? 0;
      const width = f.width ?? 1;
      if (lsb + width > regwidth) {
        this.err(
          'rdl/field-out-of-range',
          `field ${f.name} [${lsb + width - 1}:${lsb}] does not fit in the ${regwidth}-bit register ${reg.name}`,
          f.span,
          'widen the register with regwidth, or move the field',
        );
      }
      for (const g of fields.slice(i + 1)) {
        const glsb = g.lsb ?? 0;
        if (glsb < lsb + width && lsb < glsb + (g.width ?? 1)) {
          const pair = [swAccess(f), swAccess(g)].sort().join('/');
          if (pair === 'r/w') continue; // a read-only and a write-only field may share bits
          this.err(
            'rdl/field-overlap',
            `field ${g.name} [${glsb + (g.width ?? 1) - 1}:${glsb}] overlaps ${f.name} [${lsb + width - 1}:${lsb}] in ${reg.name}`,
            g.span,
          );
        }
      }
      checkField(f, this);
    }
  }

  reportField(code: string, message: string, span: SourceSpan, severity: 'error' | 'warning' = 'error'): void {
    if (severity === 'error') this.err(code, message, span);
    else this.warn(code, message, span);
  }
}

function complementaryAccess(a: Inst, b: Inst): boolean {
  const access = (r: Inst): 'r' | 'w' | 'rw' => {
    let read = false;
    let write = false;
    for (const f of r.children) {
      if (f.kind !== 'field') continue;
      const sw = swAccess(f);
      if (sw.includes('r')) read = true;
      if (sw.includes('w')) write = true;
    }
    return read && write ? 'rw' : read ? 'r' : 'w';
  };
  return [access(a), access(b)].sort().join('/') === 'r/w';
}

function elementsCollide(a: Inst, b: Inst, layout: Layout): boolean {
  const starts = (x: Inst): bigint[] => {
    const count = x.dims.reduce((p, q) => p * q, 1);
    if (count > 4096) return [x.offset!];
    return Array.from({ length: count }, (_, k) => x.offset! + (x.stride ?? 0n) * BigInt(k));
  };
  const sizeA = a.dims.length ? layout.totalSize({ ...a, dims: [] }) : layout.totalSize(a);
  const sizeB = b.dims.length ? layout.totalSize({ ...b, dims: [] }) : layout.totalSize(b);
  for (const x of starts(a)) for (const y of starts(b)) if (x < y + sizeB && y < x + sizeA) return true;
  return false;
}

/** Field rules of clause 9 that concern access semantics and values. */
function checkField(f: Inst, layout: Layout): void {
  const sw = swAccess(f);
  const hwv = propValue(f, 'hw');
  const hw = hwv?.t === 'access' ? hwv.v : 'rw';
  const width = f.width ?? 1;
  const at = (name: string): SourceSpan => f.props.get(name)?.span ?? f.span;
  if (hw === 'rw1' || hw === 'w1')
    layout.reportField('rdl/property-type', `hw=${hw} is meaningless for field ${f.name}: write-once applies to software only`, at('hw'));
  if (sw === 'w' && hw === 'w') layout.reportField('rdl/access-meaningless', `field ${f.name}: sw=w with hw=w cannot be read by anyone`, at('sw'), 'warning');
  const readable = sw.includes('r');
  const writable = sw.includes('w');
  const onwrite = ['onwrite', 'woset', 'woclr'].find((p) => f.props.has(p) && (propValue(f, p)?.t !== 'bool' || propBool(f, p)));
  if (onwrite && !writable) layout.reportField('rdl/property-conflict', `field ${f.name} has ${onwrite} but sw=${sw} cannot write it`, at(onwrite));
  const onread = ['onread', 'rclr', 'rset'].find((p) => f.props.has(p) && (propValue(f, p)?.t !== 'bool' || propBool(f, p)));
  if (onread && !readable) layout.reportField('rdl/property-conflict', `field ${f.name} has ${onread} but sw=${sw} cannot read it`, at(onread));
  for (const p of ['swwe', 'swwel', 'we', 'wel']) {
    const v = propValue(f, p);
    const on = v && (v.t === 'ref' || (v.t === 'bool' && v.v));
    if (on && !writable && (p === 'swwe' || p === 'swwel'))
      layout.reportField('rdl/property-conflict', `field ${f.name} has ${p} but sw=${sw} is never writable`, at(p));
    if (on && (p === 'we' || p === 'wel') && !hw.includes('w'))
      layout.reportField('rdl/property-conflict', `field ${f.name} has ${p} (a hardware write enable) but hw=${hw} cannot write`, at(p));
  }
  if (propBool(f, 'singlepulse')) {
    if (width !== 1) layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must be 1 bit wide, not ${width}`, at('singlepulse'));
    if (!writable) layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must be writable by software`, at('singlepulse'));
  }
  const reset = propValue(f, 'reset');
  if (reset && (reset.t === 'int' || reset.t === 'enumValue' || reset.t === 'bool')) {
    const n = asInt(reset)!;
    if (n >> BigInt(width) !== 0n) {
      layout.reportField(
        'rdl/reset-too-wide',
        `reset value ${describeValue(reset)} of field ${f.name} does not fit in its ${width} bit${width === 1 ? '' : 's'}`,
        at('reset'),
      );
    } else if (reset.t === 'int' && reset.sized && reset.width > width) {
      layout.reportField('rdl/reset-width', `reset literal of field ${f.name} is ${reset.width} bits wide but the field has ${width}`, at('reset'), 'warning');
    }
  }
  if (propBool(f, 'singlepulse') && reset && asInt(reset) !== 0n)
    layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must reset to 0`, at('reset'));
  for (const limit of ['saturate', 'incrsaturate', 'threshold', 'incrthreshold', 'decrsaturate', 'decrthreshold', 'incrvalue', 'decrvalue']) {
    const v = propValue(f, limit);
    if (v?.t === 'int' && v.v >> BigInt(width) !== 0n)
      layout.reportField('rdl/value-too-wide', `${limit} ${v.v} of counter ${f.name} does not fit in its ${width} bits`, at(limit));
  }
  const counterProps = [
    'incrvalue',
    'decrvalue',
    'saturate',
    'threshold',
    'incrsaturate',
    'incrthreshold',
    'decrsaturate',
    'decrthreshold',
    'overflow',
    'underflow',
    'incr',
    'decr',
    'incrwidth',
    'decrwidth',
  ];
  const stray = counterProps.find((p) => f.props.has(p) && !(propValue(f, p)?.t === 'bool' && !propBool(f, p)));
  if (stray && !propBool(f, 'counter'))
    layout.reportField('rdl/property-conflict', `field ${f.name} sets ${stray} but is not a counter (add 'counter;')`, at(stray));
  const intrOnly = ['enable', 'mask', 'haltenable', 'haltmask'].find((p) => f.props.has(p));
  if (intrOnly && !propBool(f, 'intr'))
    layout.reportField('rdl/property-conflict', `field ${f.name} sets ${intrOnly} but is not an interrupt (add 'intr;')`, at(intrOnly));
  const enc = propValue(f, 'encode');
  if (enc?.t === 'enumType') {
    for (const m of enc.def.members) {
      if (m.value >> BigInt(width) !== 0n)
        layout.reportField('rdl/enum-too-wide', `${enc.def.name}::${m.name} = ${m.value} does not fit field ${f.name} (${width} bits)`, at('encode'));
    }
  }
  for (const p of ['enable', 'mask', 'haltenable', 'haltmask', 'next', 'resetsignal', 'hwenable', 'hwmask']) {
    const v = propValue(f, p);
    if (v?.t !== 'ref' || v.prop) continue;
    const target = v.inst as Inst;
    const wanted = p === 'resetsignal' ? ['signal'] : ['field', 'signal'];
    if (!wanted.includes(target.kind))
      layout.reportField('rdl/property-type', `${p} of field ${f.name} must reference a ${wanted.join(' or ')}, not the ${target.kind} ${target.name}`, at(p));
  }
}
