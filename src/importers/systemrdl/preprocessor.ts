import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import { findClose, findPerlTag, IDENT, lineEnd, readIdentAfterSpace, skipString, splitArgs, stripLineComment, substituteParams } from './preprocessor-text.ts';
import { SourceMap, SourceText } from './source-map.ts';

/**
 * The Verilog-style preprocessor of SystemRDL 2.0 (clause 16.3): `define (with arguments and
 * defaults), `undef, `ifdef/`ifndef/`elsif/`else/`endif and `include. Its output is one text plus a
 * SourceMap, so later stages report positions in the original files.
 *
 * The embedded Perl preprocessor (`<% %>`, clause 16.2) is refused: running Perl from a register
 * description is arbitrary code execution, and its output cannot be located. We report
 * `rdl/perl-preprocessor` at the first tag of each file and produce no text for it.
 */

export interface PreprocessOptions {
  readonly includePaths?: readonly string[];
  /** Reads an included file; undefined when it does not exist. Defaults to the file system. */
  readonly readFile?: (path: string) => string | undefined;
  /** Macros defined before the first file (like `-D NAME=value`). */
  readonly defines?: Readonly<Record<string, string>>;
  /** The directory relative file names and include paths are read from (the command's); unset: the process's. */
  readonly cwd?: string;
}

export interface Preprocessed {
  readonly text: string;
  readonly map: SourceMap;
  /** Every file read, the main file first. */
  readonly files: readonly string[];
}

interface Macro {
  readonly params: readonly { readonly name: string; readonly defaultText?: string }[] | undefined;
  readonly body: string;
}

/** A piece of text being scanned: a file, or a macro expansion located at its invocation. */
interface Unit {
  readonly text: string;
  readonly source: SourceText;
  /** For macro expansions: every character maps to this offset of `source`. */
  readonly fixedAt?: number;
}

interface Conditional {
  active: boolean;
  taken: boolean;
  sawElse: boolean;
  readonly at: number;
}

const MAX_INCLUDE_DEPTH = 32;
const MAX_MACRO_DEPTH = 64;
/**
 * The depth limit does not bound the work: `` `define X `X `X `` doubles at every level. The total
 * number of expansions and of bytes they produce is bounded too (`limits/macro-expansion`).
 */
export const MAX_MACRO_EXPANSIONS = 100_000;
export const MAX_EXPANDED_BYTES = 16 * 1024 * 1024;

function defaultReadFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function preprocess(text: string, file: string, options: PreprocessOptions, diags: DiagnosticCollector): Preprocessed | undefined {
  const pp = new Preprocessor(options, diags);
  for (const [name, value] of Object.entries(options.defines ?? {})) pp.macros.set(name, { params: undefined, body: value });
  const ok = pp.runFile(text, file, [], 0);
  if (!ok) return undefined;
  return { text: pp.out.join(''), map: pp.map, files: pp.files };
}

class Preprocessor {
  readonly out: string[] = [];
  readonly map = new SourceMap();
  readonly macros = new Map<string, Macro>();
  readonly files: string[] = [];
  private perlRefused = false;
  private expansions = 0;
  private expandedBytes = 0;
  /** Set once an expansion limit is hit: nothing more is expanded, the error is reported once. */
  private exhausted = false;

  constructor(
    private readonly options: PreprocessOptions,
    private readonly diags: DiagnosticCollector,
  ) {}

  /** Returns false when the file had to be refused (Perl). */
  runFile(text: string, file: string, stack: readonly string[], depth: number): boolean {
    const source = new SourceText(file, text);
    this.files.push(file);
    const perlAt = findPerlTag(text);
    if (perlAt >= 0) {
      this.perlRefused = true;
      const count = text.split('<%').length - 1;
      this.diags.error(
        'rdl/perl-preprocessor',
        `embedded Perl (\`<% %>\`) is not supported; ${file} has ${count} Perl tag${count === 1 ? '' : 's'}`,
        source.span(perlAt, perlAt + 2),
        {
          hint: 'expand the Perl first (e.g. with systemrdl-compiler, or by hand) and import the expanded file; specdrive never runs code from a register description',
        },
      );
      return false;
    }
    this.scan({ text, source }, [...stack, file], depth, 0);
    return !this.perlRefused;
  }

  private emit(unit: Unit, from: number, to: number): void {
    if (to <= from) return;
    this.out.push(unit.text.slice(from, to));
    if (unit.fixedAt !== undefined) this.map.append(to - from, unit.source, unit.fixedAt, true);
    else this.map.append(to - from, unit.source, from, false);
  }

  private span(unit: Unit, from: number, to: number) {
    return unit.fixedAt !== undefined ? unit.source.span(unit.fixedAt, unit.fixedAt + 1) : unit.source.span(from, to);
  }

  private scan(unit: Unit, fileStack: readonly string[], includeDepth: number, macroDepth: number): void {
    const { text } = unit;
    const conds: Conditional[] = [];
    const active = (): boolean => conds.every((c) => c.active);
    let copyFrom = 0;
    let i = 0;
    const flush = (to: number): void => {
      if (active()) this.emit(unit, copyFrom, to);
      copyFrom = to;
    };
    while (i < text.length) {
      const ch = text[i];
      if (ch === '/' && text[i + 1] === '/') {
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? text.length : nl;
        continue;
      }
      if (ch === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        if (close === -1) {
          this.diags.error('rdl/unterminated-comment', 'block comment is never closed', this.span(unit, i, i + 2));
          i = text.length;
        } else i = close + 2;
        continue;
      }
      if (ch === '"') {
        i = skipString(text, i);
        continue;
      }
      if (ch !== '`') {
        i++;
        continue;
      }
      // A directive or macro use.
      flush(i);
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(text);
      if (!m) {
        this.diags.error('rdl/pp-syntax', 'a backtick must be followed by a directive or macro name', this.span(unit, i, i + 1));
        i++;
        copyFrom = i;
        continue;
      }
      const name = m[0];
      const nameEnd = i + 1 + name.length;
      const directiveSpan = this.span(unit, i, nameEnd);
      switch (name) {
        case 'ifdef':
        case 'ifndef':
        case 'elsif': {
          const id = readIdentAfterSpace(text, nameEnd);
          if (!id) {
            this.diags.error('rdl/pp-syntax', `\`${name} needs a macro name`, directiveSpan);
            i = nameEnd;
            break;
          }
          const defined = this.macros.has(id.name);
          if (name === 'elsif') {
            const top = conds[conds.length - 1];
            if (!top || top.sawElse) {
              this.diags.error('rdl/pp-unbalanced', top ? '`elsif after `else' : '`elsif without `ifdef', directiveSpan);
            } else {
              top.active = !top.taken && defined;
              top.taken ||= top.active;
            }
          } else {
            const on = name === 'ifdef' ? defined : !defined;
            conds.push({ active: on, taken: on, sawElse: false, at: i });
          }
          i = id.end;
          break;
        }
        case 'else': {
          const top = conds[conds.length - 1];
          if (!top || top.sawElse) this.diags.error('rdl/pp-unbalanced', top ? 'second `else' : '`else without `ifdef', directiveSpan);
          else {
            top.sawElse = true;
            top.active = !top.taken;
            top.taken = true;
          }
          i = nameEnd;
          break;
        }
        case 'endif': {
          if (conds.length === 0) this.diags.error('rdl/pp-unbalanced', '`endif without `ifdef', directiveSpan);
          conds.pop();
          i = nameEnd;
          break;
        }
        case 'define': {
          i = this.define(unit, nameEnd, active());
          break;
        }
        case 'undef': {
          const id = readIdentAfterSpace(text, nameEnd);
          if (!id) {
            this.diags.error('rdl/pp-syntax', '`undef needs a macro name', directiveSpan);
            i = nameEnd;
          } else {
            if (active()) this.macros.delete(id.name);
            i = id.end;
          }
          break;
        }
        case 'include': {
          i = this.include(unit, nameEnd, active(), fileStack, includeDepth, macroDepth, directiveSpan);
          break;
        }
        default: {
          if (!active()) {
            i = nameEnd;
            break;
          }
          i = this.expand(unit, i, name, nameEnd, fileStack, includeDepth, macroDepth);
        }
      }
      copyFrom = i;
    }
    flush(text.length);
    for (const c of conds) this.diags.error('rdl/pp-unbalanced', 'this `ifdef/`ifndef is never closed by `endif', this.span(unit, c.at, c.at + 1));
  }

  /** Parses `define NAME[(params)] body; returns where scanning resumes. */
  private define(unit: Unit, from: number, active: boolean): number {
    const { text } = unit;
    const id = readIdentAfterSpace(text, from);
    if (!id) {
      this.diags.error('rdl/pp-syntax', '`define needs a macro name', this.span(unit, from, from + 1));
      return lineEnd(text, from);
    }
    let i = id.end;
    let params: { name: string; defaultText?: string }[] | undefined;
    if (text[i] === '(') {
      const close = findClose(text, i);
      if (close < 0) {
        this.diags.error('rdl/pp-syntax', 'macro parameter list is not closed', this.span(unit, i, i + 1));
        return lineEnd(text, i);
      }
      params = splitArgs(text.slice(i + 1, close)).map((p) => {
        const eq = p.indexOf('=');
        const name = (eq < 0 ? p : p.slice(0, eq)).trim();
        return eq < 0 ? { name } : { name, defaultText: p.slice(eq + 1).trim() };
      });
      for (const p of params) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name))
          this.diags.error('rdl/pp-syntax', `bad macro parameter name ${JSON.stringify(p.name)}`, this.span(unit, i, close + 1));
      }
      i = close + 1;
    }
    // The body runs to the end of the line; a backslash before the newline continues it.
    let body = '';
    for (;;) {
      const end = lineEnd(text, i);
      const line = text.slice(i, end).replace(/\r$/, '');
      if (line.endsWith('\\')) {
        body += line.slice(0, -1) + '\n';
        i = end + 1;
        if (end >= text.length) break;
        continue;
      }
      body += line;
      i = end;
      break;
    }
    if (active) this.macros.set(id.name, { params, body: stripLineComment(body).trim() });
    return i;
  }

  private include(
    unit: Unit,
    from: number,
    active: boolean,
    fileStack: readonly string[],
    includeDepth: number,
    macroDepth: number,
    directiveSpan: ReturnType<Preprocessor['span']>,
  ): number {
    const { text } = unit;
    let i = from;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const open = text[i];
    const closeChar = open === '"' ? '"' : open === '<' ? '>' : undefined;
    const close = closeChar ? text.indexOf(closeChar, i + 1) : -1;
    if (!closeChar || close < 0 || text.slice(i, close).includes('\n')) {
      this.diags.error('rdl/pp-syntax', '`include needs a file name in quotes', directiveSpan);
      return lineEnd(text, i);
    }
    const name = text.slice(i + 1, close);
    const end = close + 1;
    if (!active) return end;
    const nameSpan = this.span(unit, i, end);
    if (includeDepth >= MAX_INCLUDE_DEPTH) {
      this.diags.error('rdl/include-depth', `includes nest deeper than ${MAX_INCLUDE_DEPTH}`, nameSpan);
      return end;
    }
    const includer = unit.source.file;
    // An include may only read below the including file's folder or an include path: a spec from
    // another hand must not pull in /etc/passwd or ../../secrets (path traversal).
    const cwd = this.options.cwd;
    const at = (...parts: string[]): string => (cwd === undefined ? resolve(...parts) : resolve(cwd, ...parts));
    const roots = [dirname(at(includer)), ...(this.options.includePaths ?? []).map((p) => at(p))];
    const inside = (candidate: string): boolean => roots.some((root) => candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep));
    const all = isAbsolute(name) ? [resolve(name)] : [at(dirname(includer), name), ...(this.options.includePaths ?? []).map((p) => at(p, name))];
    const candidates = all.filter(inside);
    if (candidates.length === 0) {
      this.diags.error('rdl/include-outside', `${JSON.stringify(name)} is outside the including file's folder and the include paths`, nameSpan, {
        hint: 'add its folder to the include paths (options.includePaths) if it is meant to be read',
      });
      return end;
    }
    const read = this.options.readFile ?? defaultReadFile;
    for (const candidate of candidates) {
      const content = read(candidate);
      if (content === undefined) continue;
      if (fileStack.some((f) => at(f) === candidate)) {
        this.diags.error('rdl/include-cycle', `including ${name} again would loop: ${[...fileStack, candidate].join(' → ')}`, nameSpan);
        return end;
      }
      this.runFile(content, candidate, fileStack, includeDepth + 1);
      return end;
    }
    this.diags.error('rdl/include-not-found', `cannot find included file ${JSON.stringify(name)}; searched ${candidates.join(', ')}`, nameSpan, {
      hint: 'add the folder to the include paths (options.includePaths)',
    });
    void macroDepth;
    return end;
  }

  /** Expands a macro use starting at the backtick; returns where scanning resumes. */
  private expand(unit: Unit, at: number, name: string, nameEnd: number, fileStack: readonly string[], includeDepth: number, macroDepth: number): number {
    const { text } = unit;
    const macro = this.macros.get(name);
    const useSpan = this.span(unit, at, nameEnd);
    if (!macro) {
      this.diags.error('rdl/pp-undefined-macro', `\`${name} is not a directive or a defined macro`, useSpan);
      return nameEnd;
    }
    if (this.exhausted) return nameEnd;
    if (macroDepth >= MAX_MACRO_DEPTH) {
      this.diags.error('rdl/macro-recursion', `macro \`${name} expands more than ${MAX_MACRO_DEPTH} levels deep (is it recursive?)`, useSpan);
      return nameEnd;
    }
    let end = nameEnd;
    let body = macro.body;
    if (macro.params) {
      let j = nameEnd;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      const close = text[j] === '(' ? findClose(text, j) : -1;
      if (close < 0) {
        this.diags.error('rdl/pp-macro-args', `macro \`${name} takes ${macro.params.length} argument(s) in parentheses`, useSpan);
        return nameEnd;
      }
      const args = macro.params.length === 0 && text.slice(j + 1, close).trim() === '' ? [] : splitArgs(text.slice(j + 1, close));
      if (args.length > macro.params.length) {
        this.diags.error('rdl/pp-macro-args', `macro \`${name} takes ${macro.params.length} argument(s), got ${args.length}`, this.span(unit, at, close + 1));
        return close + 1;
      }
      const values = new Map<string, string>();
      for (const [k, p] of macro.params.entries()) {
        const given = args[k]?.trim();
        const value = given !== undefined && given !== '' ? given : p.defaultText;
        if (value === undefined) {
          this.diags.error('rdl/pp-macro-args', `macro \`${name}: no value for parameter ${p.name}`, this.span(unit, at, close + 1));
          return close + 1;
        }
        values.set(p.name, value);
      }
      body = substituteParams(body, values);
      end = close + 1;
    }
    this.expansions++;
    this.expandedBytes += body.length;
    if (this.expansions > MAX_MACRO_EXPANSIONS || this.expandedBytes > MAX_EXPANDED_BYTES) {
      this.exhausted = true;
      this.diags.error(
        'limits/macro-expansion',
        `macro expansion stopped at \`${name}: more than ${this.expansions > MAX_MACRO_EXPANSIONS ? `${MAX_MACRO_EXPANSIONS} expansions` : `${MAX_EXPANDED_BYTES} bytes of expanded text`} (a macro that multiplies itself?)`,
        useSpan,
      );
      return end;
    }
    const fixedAt = unit.fixedAt ?? at;
    this.scan({ text: body, source: unit.source, fixedAt }, fileStack, includeDepth, macroDepth + 1);
    return end;
  }
}
