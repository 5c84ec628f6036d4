import type { ComponentKind, InstanceDecl, Instantiation, Statement } from './ast.ts';
import { LimitExceeded } from './elaborate-context.ts';
import { PropertyElaboration } from './elaborate-properties.ts';
import type { Inst } from './instance.ts';
import { BUILTIN_PROPERTIES } from './properties.ts';
import { newScope, type Scope, type TypeEntry } from './scope.ts';
import { paramTypeMatches } from './value-types.ts';
import { evaluate, typeName, type Value } from './values.ts';

const ALLOWED_CHILDREN: Readonly<Record<ComponentKind | 'root', readonly ComponentKind[]>> = {
  root: ['signal'],
  addrmap: ['addrmap', 'regfile', 'reg', 'mem', 'signal'],
  regfile: ['regfile', 'reg', 'signal'],
  reg: ['field', 'signal'],
  mem: ['reg'],
  field: ['signal'],
  signal: [],
};

/**
 * Instantiation (clause 5.1.2, 5.3): where a component may appear, its parameter values, the
 * instance with its defaults and body elaborated for those values, and the suffixes of each
 * declaration (array dimensions, bit ranges, `= reset`, `@`, `+=`, `%=`).
 */
export abstract class InstanceElaboration extends PropertyElaboration {
  /** Elaborates a component body into `inst` (elaborate.ts). */
  protected abstract body(stmts: readonly Statement[], scope: Scope, inst: Inst): void;

  protected instantiate(entry: TypeEntry, inst: Instantiation, callerScope: Scope, parent: Inst): void {
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

  protected paramValues(entry: TypeEntry, inst: Instantiation, callerScope: Scope): Map<string, Value> | undefined {
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

  protected instantiateOne(
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
  protected instanceSuffixes(child: Inst, decl: InstanceDecl, scope: Scope): void {
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
