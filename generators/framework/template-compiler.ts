import type {} from 'handlebars';

/**
 * Compiles a template of the project's Handlebars subset to plain JavaScript: text, `{{path}}`
 * (dotted, or `this`), and the blocks `each` / `if` / `unless` with `{{else}}`. The source is parsed
 * by Handlebars itself (its parser applies the standalone-line and whitespace rules), so the text a
 * compiled template writes is the text Handlebars would render with the options of templates.ts
 * (`noEscape`, `strict`, `knownHelpersOnly`, `data: false`, the lean `each`); test/unit/generators/
 * template-compiler.test.ts renders the same templates and views through both.
 *
 * Why not the Handlebars runtime: every block, item and value went through its wrappers, helpers
 * and option objects, and the text came out as a rope of millions of small pieces that had to be
 * flattened before writing; a compiled template pushes its pieces onto one list joined once
 * (docs/performance.md, "Generate (issue 21, session 5)"). Anything outside the subset (partials,
 * helpers with hashes, `@data`, `../`, block parameters, other helpers) is refused at compile time.
 */

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Path = hbs.AST.PathExpression;

/** What compiled code calls at run time (templateRuntime below); `rt` in the generated code. */
export interface TemplateRuntime {
  lookup(parent: unknown, name: string): unknown;
  strict(parent: unknown, name: string, loc: string): unknown;
  /** Prints a `{{path}}`: a function value is called on the context (Handlebars' lambdas); null and undefined print nothing. */
  put(out: string[], value: unknown, context: unknown): void;
  truthy(value: unknown, context: unknown): boolean;
  each(value: unknown, context: unknown, out: string[], fn: (c: unknown, o: string[]) => void, inverse?: (c: unknown, o: string[]) => void): void;
}

/** A compiled template: appends its text, piece by piece, to `out`. */
export type CompiledTemplate = (context: unknown, out: string[]) => void;

const own = Object.prototype.hasOwnProperty;

/** Handlebars' property lookup: own properties only (its default denies prototype properties). */
function lookup(parent: unknown, name: string): unknown {
  const result = (parent as Record<string, unknown>)[name];
  if (result == null) return result;
  return own.call(parent, name) ? result : undefined;
}

export const templateRuntime: TemplateRuntime = {
  lookup,
  // Strict mode: a value printed by name must exist (a misspelt view-model key fails loudly).
  // An own property (every view-model key) is lookup's answer as it is: one check instead of three.
  strict(parent, name, loc) {
    if (parent && own.call(parent, name)) return (parent as Record<string, unknown>)[name];
    if (!parent || !(name in (parent as object))) throw new Error(`"${name}" not defined in ${String(parent)} - ${loc}`);
    return lookup(parent, name);
  },
  put(out, value, context) {
    const v = typeof value === 'function' ? (value as (this: unknown) => unknown).call(context) : value;
    if (v != null) out.push(typeof v === 'string' ? v : String(v));
  },
  // The `if` helper: false for falsy values (0 included) and empty arrays.
  truthy(value, context) {
    const v = typeof value === 'function' ? (value as (this: unknown) => unknown).call(context) : value;
    return !(!v || (Array.isArray(v) && v.length === 0));
  },
  // The lean `each` on arrays (templates.ts), Handlebars' own on anything else.
  each(value, context, out, fn, inverse) {
    let items = value;
    if (!Array.isArray(items) && typeof items === 'function') items = (items as (this: unknown) => unknown).call(context);
    let count = 0;
    const one = (item: unknown): void => {
      count++;
      fn(item, out);
      if (out.length >= 4096) compactPieces(out);
    };
    if (Array.isArray(items)) for (const item of items) one(item);
    else if (items && typeof items === 'object') {
      if (Symbol.iterator in items) for (const item of items as Iterable<unknown>) one(item);
      else for (const key of Object.keys(items)) one((items as Record<string, unknown>)[key]);
    }
    if (count === 0 && inverse) inverse(context, out);
  },
};

/** How many pieces of an output list are joined chunks (compactPieces). */
const chunkCounts = new WeakMap<string[], number>();

/**
 * Joins the pieces an output list gathered since its last chunk into one flat string, kept in
 * the list: a big file (the H743 self-test has ≈300 000 pieces) is then held as flat chunks of a few
 * thousand pieces, each piece dying young, instead of as one huge list of them all.
 */
function compactPieces(out: string[]): void {
  const chunks = chunkCounts.get(out) ?? 0;
  const chunk = out.slice(chunks).join('');
  out.length = chunks;
  out.push(chunk);
  chunkCounts.set(out, chunks + 1);
}

/** The output list of a finished render as flat chunks: the pieces since the last chunk joined into one. */
export function finishedChunks(out: string[]): string[] {
  if (out.length > (chunkCounts.get(out) ?? 0)) compactPieces(out);
  return out;
}

/**
 * The JavaScript of one template: a function expression taking the runtime and returning the
 * template (`(rt) => (context, out) => void`). Deterministic (the compiled files are committed).
 */
export function compileTemplateSource(parse: (source: string) => Program, source: string): string {
  const functions: string[] = [];
  const program = (node: Program): string => {
    const name = `p${functions.length}`;
    functions.push(''); // reserved: nested programs get the following numbers
    const index = functions.length - 1;
    const lines: string[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') lines.push(`o.push(${JSON.stringify(text)});`);
      text = '';
    };
    for (const statement of node.body) {
      switch (statement.type) {
        case 'ContentStatement':
          text += (statement as hbs.AST.ContentStatement).value;
          break;
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          flush();
          const mustache = statement as hbs.AST.MustacheStatement;
          if (mustache.params.length > 0 || mustache.hash) unsupported(mustache, 'a helper call');
          const path = pathOf(mustache.path);
          lines.push(`rt.put(o, ${valueCode(path, true)}, c);`);
          break;
        }
        case 'BlockStatement': {
          flush();
          const block = statement as hbs.AST.BlockStatement;
          const helper = pathOf(block.path).original;
          if (block.params.length !== 1 || block.hash || (block.program.blockParams?.length ?? 0) > 0)
            unsupported(block, 'a block with other than one parameter');
          const value = valueCode(pathOf(block.params[0] as Node), false);
          const fn = program(block.program);
          const inverse = block.inverse ? program(block.inverse) : undefined;
          if (helper === 'each') lines.push(`rt.each(${value}, c, o, ${fn}${inverse ? `, ${inverse}` : ''});`);
          else if (helper === 'if' || helper === 'unless') {
            const [yes, no] = helper === 'if' ? [fn, inverse] : [inverse, fn];
            lines.push(`if (rt.truthy(${value}, c)) ${yes ? `${yes}(c, o);` : '{}'}${no ? ` else ${no}(c, o);` : ''}`);
          } else unsupported(block, `the helper ${helper}`);
          break;
        }
        default:
          unsupported(statement, statement.type);
      }
    }
    flush();
    functions[index] = `function ${name}(c, o) {\n  ${lines.join('\n  ')}\n}`;
    return name;
  };
  program(parse(source));
  return `function (rt) {\n${functions.join('\n')}\nreturn p0;\n}`;
}

function pathOf(node: Node): Path {
  if (node.type !== 'PathExpression') unsupported(node, node.type);
  const path = node as Path;
  if (path.data || path.depth > 0 || path.parts.some((p) => typeof p !== 'string')) unsupported(node, `the path ${path.original}`);
  return path;
}

/**
 * The code reading `path` from the context `c`. Printed values are looked up strictly (their last
 * part must exist); block parameters are not, as in Handlebars' strict mode.
 */
function valueCode(path: Path, strict: boolean): string {
  if (path.parts.length === 0) return 'c';
  let code = 'c';
  const last = path.parts.length - 1;
  path.parts.forEach((part, i) => {
    const name = JSON.stringify(part);
    code = strict && i === last ? `rt.strict(${code}, ${name}, ${JSON.stringify(locOf(path))})` : `rt.lookup(${code}, ${name})`;
  });
  return code;
}

function locOf(node: Node): string {
  return `${node.loc.start.line}:${node.loc.start.column}`;
}

function unsupported(node: Node, what: string): never {
  throw new Error(`template ${locOf(node)}: ${what} is outside the template subset the generators use (generators/framework/template-compiler.ts)`);
}
