/**
 * SystemRDL syntax tree. Positions (`start`, `end`) are offsets into the preprocessed text; the
 * SourceMap turns them into file spans.
 */

export interface Pos {
  readonly start: number;
  readonly end: number;
}

export interface Ident extends Pos {
  readonly name: string;
}

export type ComponentKind = 'addrmap' | 'regfile' | 'reg' | 'field' | 'mem' | 'signal';

export type Expr =
  | ({ readonly kind: 'number'; readonly value: bigint; readonly width?: number } & Pos)
  | ({ readonly kind: 'string'; readonly value: string } & Pos)
  | ({ readonly kind: 'bool'; readonly value: boolean } & Pos)
  /** A (possibly hierarchical) name: parameter, keyword literal (`rw`), enum, or instance reference. */
  | ({ readonly kind: 'ref'; readonly segments: readonly RefSegment[]; readonly prop?: Ident } & Pos)
  | ({ readonly kind: 'enumRef'; readonly enumName: Ident; readonly member: Ident } & Pos)
  | ({ readonly kind: 'unary'; readonly op: string; readonly operand: Expr } & Pos)
  | ({ readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr } & Pos)
  | ({ readonly kind: 'ternary'; readonly cond: Expr; readonly then: Expr; readonly else: Expr } & Pos)
  | ({ readonly kind: 'concat'; readonly items: readonly Expr[] } & Pos)
  | ({ readonly kind: 'replicate'; readonly count: Expr; readonly items: readonly Expr[] } & Pos)
  /** `longint'(x)`, `bit'(x)`, `boolean'(x)`, `8'(x)`, `PARAM'(x)`. */
  | ({ readonly kind: 'cast'; readonly to: 'longint' | 'bit' | 'boolean' | Expr; readonly operand: Expr } & Pos)
  | ({ readonly kind: 'arrayLit'; readonly items: readonly Expr[] } & Pos)
  | ({ readonly kind: 'structLit'; readonly typeName: Ident; readonly members: readonly { readonly name: Ident; readonly value: Expr }[] } & Pos);

export interface RefSegment {
  readonly name: Ident;
  readonly indices: readonly Expr[];
}

export interface ParamDef extends Pos {
  readonly type: DataType;
  readonly name: Ident;
  readonly defaultValue?: Expr;
}

export interface DataType extends Pos {
  /** `longint`, `bit`, `boolean`, `string`, `accesstype`, …, or a user enum/struct name. */
  readonly name: string;
  readonly unsigned?: boolean;
  readonly array: boolean;
}

export interface InstanceDecl extends Pos {
  readonly name: Ident;
  /** `[4]` or `[2][3]`: array dimensions. */
  readonly dims?: readonly Expr[];
  /** `[msb:lsb]` (fields) — the two expressions in written order. */
  readonly range?: readonly [Expr, Expr];
  /** `= value` (field reset). */
  readonly reset?: Expr;
  readonly at?: Expr;
  readonly stride?: Expr;
  readonly align?: Expr;
}

export interface Instantiation extends Pos {
  readonly external?: 'external' | 'internal';
  /** `alias primary`: the register this one aliases. */
  readonly aliasOf?: Ident;
  readonly paramOverrides: readonly { readonly name: Ident; readonly value: Expr }[];
  readonly instances: readonly InstanceDecl[];
}

export interface ComponentDef extends Pos {
  readonly component: ComponentKind;
  readonly keyword: Pos;
  readonly name?: Ident;
  readonly params: readonly ParamDef[];
  readonly body: readonly Statement[];
}

export interface EnumDef extends Pos {
  readonly name: Ident;
  readonly entries: readonly {
    readonly name: Ident;
    readonly value?: Expr;
    readonly props: readonly { readonly name: Ident; readonly value: Expr }[];
  }[];
}

export interface StructDef extends Pos {
  readonly name: Ident;
  readonly base?: Ident;
  readonly abstract: boolean;
  readonly members: readonly { readonly type: DataType; readonly name: Ident }[];
}

export interface PropertyDef extends Pos {
  readonly name: Ident;
  readonly type?: DataType;
  /** `ref` type: any component reference. */
  readonly components: readonly (ComponentKind | 'all' | 'constraint')[];
  readonly defaultValue?: Expr;
  readonly constraint?: Ident;
}

export type Statement =
  | ({ readonly kind: 'component'; readonly def: ComponentDef; readonly inst?: Instantiation } & Pos)
  | ({ readonly kind: 'instantiate'; readonly typeName: Ident; readonly inst: Instantiation } & Pos)
  | ({ readonly kind: 'enum'; readonly def: EnumDef } & Pos)
  | ({ readonly kind: 'struct'; readonly def: StructDef } & Pos)
  | ({ readonly kind: 'property'; readonly def: PropertyDef } & Pos)
  | ({ readonly kind: 'constraint'; readonly name?: Ident } & Pos)
  /** `name = value;`, `name;`, `default name = value;`, `posedge intr;` */
  | ({
      readonly kind: 'assign';
      readonly isDefault: boolean;
      readonly name: Ident;
      /** Interrupt modifier: posedge, negedge, bothedge, level, nonsticky. */
      readonly modifier?: Ident;
      readonly value?: Expr;
    } & Pos)
  /** `a.b[2]->name = value;` */
  | ({ readonly kind: 'dynamic'; readonly target: readonly RefSegment[]; readonly name: Ident; readonly value?: Expr } & Pos);

export interface RdlFile {
  readonly statements: readonly Statement[];
}
