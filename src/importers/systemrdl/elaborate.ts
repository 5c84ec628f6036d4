import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Ident, RdlFile, Statement } from './ast.ts';
import { type ElaborateOptions, LimitExceeded } from './elaborate-context.ts';
import { InstanceElaboration } from './elaborate-instances.ts';
import type { Inst, PropEntry } from './instance.ts';
import { Layout } from './layout.ts';
import { closestName } from './properties.ts';
import { checkReferences } from './references.ts';
import { allTypeNames, flattenDefaults, lookupStruct, lookupType, newScope, type Scope, type TypeEntry } from './scope.ts';
import type { SourceMap } from './source-map.ts';
import { asInt, evaluate, typeName, type EnumType } from './values.ts';

/**
 * Elaboration (clause 5–13): turns the syntax tree into a tree of component instances with
 * resolved properties, then lays it out (field bit positions, addresses) and checks it.
 *
 * Component bodies are elaborated at each instantiation, with the parameter values of that
 * instance, so parameterised types and dynamic assignments (`a.b->p = v`, which only touch this
 * instance) need no copying. Default property assignments bind to a definition where it is
 * written (lexically), as in systemrdl-compiler: a snapshot of the defaults in scope is kept with
 * each type.
 *
 * The passes, one file each: elaborate-context.ts (locations, diagnostics, values and names),
 * elaborate-properties.ts (property assignments), elaborate-instances.ts (instantiation), this
 * file (bodies, types, the top), layout.ts (placement and structural checks), references.ts.
 */

export type { ElaborateOptions } from './elaborate-context.ts';

export function elaborate(file: RdlFile, map: SourceMap, fileName: string, diags: DiagnosticCollector, options: ElaborateOptions): Inst | undefined {
  return new Elaborator(map, fileName, diags, options).run(file);
}

class Elaborator extends InstanceElaboration {
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
  protected chooseTop(file: RdlFile, scope: Scope): TypeEntry | undefined {
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

  protected body(stmts: readonly Statement[], scope: Scope, inst: Inst): void {
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

  protected defineType(scope: Scope, name: Ident, entry: TypeEntry): void {
    if (scope.types.has(name.name) || scope.enums.has(name.name)) {
      this.error('rdl/duplicate-type', `${name.name} is already defined in this scope`, name);
      return;
    }
    scope.types.set(name.name, entry);
  }

  protected defineEnum(def: Extract<Statement, { kind: 'enum' }>['def'], scope: Scope): void {
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
}
