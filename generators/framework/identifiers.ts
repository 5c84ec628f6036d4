import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { SourceSpan } from '../../src/ir/types.ts';

/**
 * Identifier rules shared by every target. Spec names reach generated code only through here:
 * a name that is not a plain ASCII identifier is a located `generate/unsafe-name` error (never
 * "fixed" silently, which would hide that two names might collide), and a name that is a reserved
 * word of the target language gets a trailing underscore and an info diagnostic.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** C keywords (C89..C23) and names the generated C itself relies on. */
// biome-ignore format: a keyword table reads best packed, grouped by language version
export const C_RESERVED: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while',
  '_Alignas', '_Alignof', '_Atomic', '_Bool', '_Complex', '_Generic', '_Imaginary', '_Noreturn',
  '_Static_assert', '_Thread_local', 'alignas', 'alignof', 'bool', 'constexpr', 'false', 'nullptr',
  'static_assert', 'thread_local', 'true', 'typeof', 'typeof_unqual', '_BitInt', '_Decimal32',
  '_Decimal64', '_Decimal128', 'asm', 'fortran',
  // Macros from the headers the generated code includes; a member with these names would be rewritten.
  'offsetof', 'NULL', 'errno', 'assert', 'stdin', 'stdout', 'stderr', 'EOF',
]);

/** TypeScript/JavaScript reserved words, plus property names with special meaning on objects. */
// biome-ignore format: a keyword table reads best packed, grouped by language version
export const TS_RESERVED: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'as', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public',
  'static', 'yield', 'any', 'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number',
  'set', 'string', 'symbol', 'type', 'from', 'of', 'async', 'await', 'namespace', 'abstract', 'keyof',
  'readonly', 'unique', 'unknown', 'never', 'object', 'bigint', 'undefined', 'infer', 'is', 'asserts',
  'global', 'out', 'override', 'satisfies', 'accessor', 'arguments', 'eval',
  '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty',
]);

/** Python keywords, soft keywords and names that would shadow what generated classes rely on. */
// biome-ignore format: a keyword table reads best packed, grouped by language version
export const PY_RESERVED: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def',
  'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  'match', 'case', 'type', '_', 'self', 'int', 'str', 'bool', 'object', 'print', 'Literal', 'TypedDict',
  'Optional', 'Register', 'Peripheral', 'Device', 'RegisterIo',
]);

export type Language = 'c' | 'ts' | 'py';

const RESERVED: Readonly<Record<Language, ReadonlySet<string>>> = { c: C_RESERVED, ts: TS_RESERVED, py: PY_RESERVED };

/**
 * A name as a member/parameter identifier of `language`: unchanged, or with `_` appended when
 * reserved. In Python and TS, names beginning with `_` belong to the runtime (`_io`, `_base`), so a
 * spec name like that gets a `u` prefix; callers run a SymbolTable to catch the rare collision.
 */
export function memberName(name: string, language: Language): string {
  if (RESERVED[language].has(name)) return `${name}_`;
  if (language !== 'c' && name.startsWith('_')) return `u${name}`;
  return name;
}

export function isSafeIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && name.length <= 128;
}

/** Diagnostic for a name that cannot be made into code. */
export function unsafeNameDiagnostic(kind: string, name: string, path: string | undefined, span: SourceSpan | undefined): Diagnostic {
  const bad = [...name].find((c) => !/[A-Za-z0-9_]/.test(c));
  const why =
    name.length === 0
      ? 'it is empty'
      : name.length > 128
        ? 'it is longer than 128 characters'
        : /^[0-9]/.test(name)
          ? 'it starts with a digit'
          : bad !== undefined
            ? `it contains ${JSON.stringify(bad)}`
            : 'it is not an identifier';
  return {
    code: 'generate/unsafe-name',
    severity: 'error',
    message: `${kind} name ${JSON.stringify(name)} cannot be used in generated code: ${why}`,
    ...(span ? { span } : {}),
    ...(path ? { path } : {}),
    hint: 'rename it in the spec to an ASCII identifier ([A-Za-z_][A-Za-z0-9_]*)',
  };
}

/** The spec node a symbol came from. */
export interface SymbolOwner {
  readonly path: string;
  readonly span: SourceSpan | undefined;
}

/**
 * Tracks symbols emitted into one namespace (a C header, a class) and reports two spec nodes that map
 * to the same symbol — e.g. register `A_B` field `C` and register `A` field `B_C` in C macros.
 */
export class SymbolTable {
  private readonly owners = new Map<string, SymbolOwner>();

  constructor(
    private readonly namespace: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Returns false (and reports) when the symbol already belongs to another node. */
  claim(symbol: string, path: string, span: SourceSpan | undefined): boolean {
    return this.claimFor(symbol, { path, span });
  }

  /** `claim` for a node that is its own owner record (a register or field view): nothing allocated per symbol. */
  claimFor(symbol: string, node: SymbolOwner): boolean {
    const owner = this.owners.get(symbol);
    if (owner === undefined) {
      this.owners.set(symbol, node);
      return true;
    }
    const { path, span } = node;
    if (owner.path === path) return true;
    this.diagnostics.push({
      code: 'generate/name-collision',
      severity: 'error',
      message: `${path} and ${owner.path} both become ${symbol} in ${this.namespace}`,
      ...(span ? { span } : {}),
      path,
      ...(owner.span ? { related: [{ message: `${owner.path} is here`, span: owner.span }] } : {}),
      hint: 'rename one of them in the spec',
    });
    return false;
  }
}
