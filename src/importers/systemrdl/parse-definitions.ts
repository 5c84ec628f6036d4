import type { ComponentKind, DataType, EnumDef, Expr, Ident, ParamDef, PropertyDef, Statement, StructDef } from './ast.ts';
import { ExpressionParser } from './parse-expressions.ts';
import { COMPONENT_KINDS } from './parser-cursor.ts';

/** Declarations inside bodies: parameters and data types, enums, structs, user properties, constraints. */
export class DefinitionParser extends ExpressionParser {
  protected paramDefs(): ParamDef[] {
    this.expect('#');
    this.expect('(');
    const params: ParamDef[] = [];
    for (;;) {
      const type = this.dataType();
      const name = this.declName('a parameter name');
      let array = type.array;
      if (this.isPunct('[')) {
        this.next();
        this.expect(']');
        array = true;
      }
      let defaultValue: Expr | undefined;
      if (this.isPunct('=')) {
        this.next();
        defaultValue = this.expr();
      }
      params.push({ type: { ...type, array }, name, ...(defaultValue ? { defaultValue } : {}), start: type.start, end: this.tokens[this.i - 1]!.end });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expect(')');
    return params;
  }

  protected dataType(): DataType {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected a type, found ${this.describe(t)}`);
    this.next();
    let name = t.text;
    let unsigned = false;
    if ((name === 'longint' || name === 'bit') && this.isWord('unsigned')) {
      this.next();
      unsigned = true;
    }
    if (name === 'int') name = 'longint';
    return { name, ...(unsigned ? { unsigned } : {}), array: false, start: t.start, end: this.tokens[this.i - 1]!.end };
  }

  protected enumDef(): EnumDef {
    const start = this.expectWord('enum').start;
    const name = this.declName('an enum name');
    this.expect('{');
    const entries: EnumDef['entries'][number][] = [];
    while (!this.isPunct('}') && !this.atEof()) {
      const entryName = this.declName('an enum entry name');
      let value: Expr | undefined;
      if (this.isPunct('=')) {
        this.next();
        value = this.expr();
      }
      const props: { name: Ident; value: Expr }[] = [];
      if (this.isPunct('{')) {
        this.next();
        while (!this.isPunct('}') && !this.atEof()) {
          const propName = this.ident('an enum entry property (name or desc)');
          this.expect('=');
          props.push({ name: propName, value: this.expr() });
          this.expect(';');
        }
        this.expect('}');
      }
      this.expect(';', "';' after the enum entry");
      entries.push({ name: entryName, ...(value ? { value } : {}), props });
    }
    this.expect('}');
    const end = this.expect(';', "';' after the enum").end;
    return { name, entries, start, end };
  }

  protected structDef(): StructDef {
    const start = this.tok.start;
    let abstract = false;
    if (this.isWord('abstract')) {
      this.next();
      abstract = true;
    }
    this.expectWord('struct');
    const name = this.declName('a struct name');
    let base: Ident | undefined;
    if (this.isPunct(':')) {
      this.next();
      base = this.ident('a base struct name');
    }
    this.expect('{');
    const members: { type: DataType; name: Ident }[] = [];
    while (!this.isPunct('}') && !this.atEof()) {
      const type = this.dataType();
      const memberName = this.declName('a struct member name');
      let array = false;
      if (this.isPunct('[')) {
        this.next();
        this.expect(']');
        array = true;
      }
      this.expect(';');
      members.push({ type: { ...type, array }, name: memberName });
    }
    this.expect('}');
    const end = this.expect(';').end;
    return { name, ...(base ? { base } : {}), abstract, members, start, end };
  }

  protected propertyDef(): PropertyDef {
    const start = this.expectWord('property').start;
    const name = this.declName('a property name');
    this.expect('{');
    let type: DataType | undefined;
    let components: PropertyDef['components'] = [];
    let defaultValue: Expr | undefined;
    let constraint: Ident | undefined;
    while (!this.isPunct('}') && !this.atEof()) {
      const attr = this.ident('type, component, default or constraint');
      this.expect('=');
      if (attr.name === 'type') {
        type = this.dataType();
        if (this.isPunct('[')) {
          this.next();
          this.expect(']');
          type = { ...type, array: true };
        }
      } else if (attr.name === 'component') {
        const list: (ComponentKind | 'all' | 'constraint')[] = [];
        for (;;) {
          const c = this.ident('a component kind');
          if (![...COMPONENT_KINDS, 'all', 'constraint'].includes(c.name)) this.fail(`'${c.name}' is not a component kind`, c);
          list.push(c.name as ComponentKind | 'all');
          if (!this.isPunct('|')) break;
          this.next();
        }
        components = list;
      } else if (attr.name === 'default') {
        defaultValue = this.expr();
      } else if (attr.name === 'constraint') {
        constraint = this.ident('componentwidth');
      } else this.fail(`unknown property attribute '${attr.name}' (type, component, default, constraint)`, attr);
      this.expect(';');
    }
    this.expect('}');
    const end = this.expect(';').end;
    return { name, ...(type ? { type } : {}), components, ...(defaultValue ? { defaultValue } : {}), ...(constraint ? { constraint } : {}), start, end };
  }

  /** Constraints are parsed (balanced braces) and ignored by elaboration; it warns. */
  protected constraint(): Statement {
    const start = this.next().start;
    let name: Ident | undefined;
    if (this.tok.kind === 'id') name = this.ident('a constraint name');
    this.expect('{');
    let depth = 1;
    while (depth > 0 && !this.atEof()) {
      if (this.isPunct('{')) depth++;
      else if (this.isPunct('}')) depth--;
      this.next();
    }
    let end = this.tokens[this.i - 1]!.end;
    if (this.tok.kind === 'id') this.next(); // instance name
    if (this.isPunct(';')) end = this.next().end;
    return { kind: 'constraint', ...(name ? { name } : {}), start, end };
  }
}
