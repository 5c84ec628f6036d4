import { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Diagnostic, StageResult } from '../../diagnostics/types.ts';
import { SourceMap, SourceText } from './source-map.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { fileTooLarge, resolveLimits } from '../types.ts';
import { systemRdlFormat } from '../formats.ts';
import { elaborate } from './elaborate.ts';
import type { Inst } from './instance.ts';
import { lex } from './lexer.ts';
import { parse } from './parser.ts';
import { preprocess, type PreprocessOptions } from './preprocessor.ts';
import { toIr } from './to-ir.ts';

export type { Inst } from './instance.ts';
export { preprocess, type PreprocessOptions, type Preprocessed } from './preprocessor.ts';
export { lex, type Token } from './lexer.ts';
export { parse } from './parser.ts';
export { fieldAccess } from './to-ir.ts';

export interface SystemRdlOptions extends ImportOptions {
  /** The addrmap to use as the top; default: the last root addrmap that nothing instantiates. */
  readonly top?: string;
  /** Macros defined before the file, like `-D NAME=value`. */
  readonly defines?: Readonly<Record<string, string>>;
  /** Reads included files (tests); default: the file system. */
  readonly readFile?: PreprocessOptions['readFile'];
}

export interface SystemRdlCompilation {
  /** The elaborated top addrmap (before the IR mapping), for tools and conformance tests. */
  readonly top: Inst | undefined;
  readonly device: Device | undefined;
}

/**
 * Compiles SystemRDL text: preprocess → lex → parse → elaborate → check → IR. Every phase runs to
 * its end and reports everything it finds; the IR is produced only when there are no errors.
 */
export function compileSystemRdl(text: string, file: string, options: SystemRdlOptions = {}): StageResult<SystemRdlCompilation> {
  return compileSystemRdlFiles([{ text, file }], options);
}

/**
 * Compiles several files into one root namespace, in order (as `systemrdl-compiler a.rdl b.rdl`
 * does): types defined by earlier files are visible to later ones. Each file has its own macros.
 */
export function compileSystemRdlFiles(
  sources: readonly { readonly text: string; readonly file: string }[],
  options: SystemRdlOptions = {},
): StageResult<SystemRdlCompilation> {
  const limits = resolveLimits(options);
  const diags = new DiagnosticCollector();
  const mainFile = sources[sources.length - 1]?.file ?? '<none>';
  const map = new SourceMap();
  const texts: string[] = [];
  let refused = false;
  for (const source of sources) {
    const pp = preprocess(
      source.text,
      source.file,
      {
        ...(options.includePaths ? { includePaths: options.includePaths } : {}),
        ...(options.readFile ? { readFile: options.readFile } : {}),
        ...(options.defines ? { defines: options.defines } : {}),
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      },
      diags,
    );
    if (!pp) {
      refused = true;
      continue;
    }
    texts.push(pp.text, '\n');
    map.appendMap(pp.map);
    map.append(1, new SourceText(source.file, source.text), source.text.length, true);
  }
  const finish = (value: SystemRdlCompilation | undefined): StageResult<SystemRdlCompilation> => ({ value, diagnostics: dedupe(diags.diagnostics) });
  // After a preprocessing error the text is not what the author meant; parsing it would only
  // report consequences. The same holds for a string that never ends (it swallows the file).
  if (refused || diags.hasErrors) return finish(undefined);
  const text = texts.join('');
  const lexed = lex(text);
  for (const p of lexed.problems) diags.error(p.code, p.message, map.span(p.start, p.end, mainFile));
  if (lexed.problems.some((p) => p.code === 'rdl/unterminated-string')) return finish(undefined);
  const parsed = parse(lexed.tokens, limits.maxDepth);
  for (const p of parsed.problems) diags.error(p.code, p.message, map.span(p.start, p.end, mainFile));
  // Elaborating a tree with syntax errors would only add noise about the parts that were skipped.
  if (diags.hasErrors) return finish({ top: undefined, device: undefined });
  const top = elaborate(parsed.file, map, mainFile, diags, {
    ...(options.top !== undefined ? { top: options.top } : {}),
    maxNodes: limits.maxNodes,
    maxDim: limits.maxDim,
    maxDepth: limits.maxDepth,
  });
  if (!top || diags.hasErrors) return finish({ top, device: undefined });
  const device = toIr(top, diags);
  return finish({ top, device: diags.hasErrors ? undefined : device });
}

/**
 * A type's body is elaborated once per instance, so one mistake in a type instantiated N times
 * would be reported N times at the same place; report it once.
 */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.message}\u0000${d.span?.file}:${d.span?.line}:${d.span?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function importSystemRdl(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  if (text.length > limits.maxBytes) return fileTooLarge(file, text.length, limits.maxBytes);
  const result = compileSystemRdl(text, file, options);
  return { value: result.value?.device, diagnostics: result.diagnostics };
}

export const systemRdlImporter: Importer = { ...systemRdlFormat, import: importSystemRdl };
