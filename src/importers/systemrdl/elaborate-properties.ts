import type { SourceSpan } from '../../ir/types.ts';
import type { ComponentKind, Pos, PropertyDef, RefSegment, Statement } from './ast.ts';
import { ElaborationContext } from './elaborate-context.ts';
import type { Inst, PropEntry } from './instance.ts';
import { BUILTIN_PROPERTIES, closestName, REFERENCE_ONLY_PROPERTIES, type PropRule, type PropType } from './properties.ts';
import type { DefaultEntry, Scope } from './scope.ts';
import { typeLabel, udpValueMatches } from './value-types.ts';
import { describeValue, evaluate, typeName, type Value } from './values.ts';

/**
 * Properties (clause 5.1.3, 6.3–6.4, 15): user-defined property definitions, assignments in a body,
 * default assignments, dynamic assignments (`a.b->p = v`), and the coercion of a value to what the
 * property takes. Setting one property of a mutual-exclusion group removes the others.
 */
export class PropertyElaboration extends ElaborationContext {
  protected defineUdp(def: PropertyDef, inst: Inst): void {
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

  protected assignStatement(s: Extract<Statement, { kind: 'assign' }>, scope: Scope, inst: Inst, local: Map<string, PropEntry & { group?: string }>): void {
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

  protected dynamicStatement(s: Extract<Statement, { kind: 'dynamic' }>, scope: Scope, inst: Inst): void {
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
  protected resolveTargets(segments: readonly RefSegment[], inst: Inst, scope: Scope): Inst[] | undefined {
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

  protected rule(name: string, at: Pos): PropRule | undefined {
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
  protected coerce(name: string, rule: PropRule, value: Value | undefined, at: Pos): Value | null {
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
  protected setProperty(inst: Inst, name: string, rule: PropRule, raw: Value | undefined, at: Pos, span: SourceSpan, dynamic: boolean): boolean {
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

  protected applyDefaults(inst: Inst, defaults: ReadonlyMap<string, DefaultEntry>): void {
    if (inst.kind === 'root') return;
    for (const d of defaults.values()) {
      const rule = BUILTIN_PROPERTIES.get(d.name) ?? this.udps.get(d.name)?.rule;
      if (!rule?.on.includes(inst.kind) || d.value === undefined) continue;
      if (rule.group) for (const [other, r] of BUILTIN_PROPERTIES) if (other !== d.name && r.group === rule.group) inst.props.delete(other);
      inst.props.set(d.name, { value: d.value, span: d.span });
    }
  }
}
