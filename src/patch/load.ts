import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { locateYaml } from '../yaml/index.ts';
import { asMap, PatchError, stringList, toPatchValue, type PatchMap, type PatchValue } from './node.ts';

/**
 * Loads an svdtools patch file and its `_include`s into one located tree, as svdtools does:
 * - an `_include` path is relative to the file it is written in;
 * - a non-`_` key whose mapping has `_include` gets its includes merged into that mapping
 *   (a peripheral- or register-level include); the file's own top-level `_include` into the file;
 * - merging keeps the including file's values: maps merge recursively, lists concatenate,
 *   a string meeting a list joins it, two different strings keep the including one;
 * - a file already included by the same mapping (or below it) is not included twice.
 */
export interface LoadedPatch {
  readonly root: PatchMap;
  /** Every file read, the patch first (for caches and `makedeps`-like uses). */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

type Located = ReturnType<typeof locateYaml>;

/**
 * Reads one YAML file into a located map; syntax errors become `patch/bad-yaml`. A file included
 * several times is parsed once per load (`parsed`); each use gets its own fresh map, since merging edits maps.
 */
export function readPatchFile(
  file: string,
  text?: string,
  parsed?: Map<string, Located>,
  cwd?: string,
): { map: PatchMap | undefined; diagnostics: Diagnostic[] } {
  let yaml = parsed?.get(file);
  if (!yaml) {
    yaml = locateYaml(text ?? readFileSync(readable(file, cwd), 'utf8'), file);
    parsed?.set(file, yaml);
  }
  const { located, diagnostics } = yaml;
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, code: 'patch/bad-yaml', message: `${d.message} (${d.code})` }));
  if (errors.length > 0) return { map: undefined, diagnostics: errors };
  const contents = located.document.contents;
  if (contents === null) return { map: { kind: 'map', span: located.source.span(0), entries: [], file }, diagnostics: [] };
  const value: PatchValue = toPatchValue(contents, located.document, located.source);
  if (value.kind !== 'map') throw new PatchError('patch/bad-yaml', 'a patch file must be a mapping of keys', value.span);
  return { map: value, diagnostics: [] };
}

/**
 * A patch names its SVD, includes and copied SVDs relative to itself, and keeps those names (relative
 * to the command's working directory `cwd`) in spans and messages; they are read from `cwd`.
 */
export function readable(file: string, cwd: string | undefined): string {
  return cwd === undefined ? file : resolve(cwd, file);
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function loadPatch(file: string, text?: string, cwd?: string): LoadedPatch {
  const files = [canonical(readable(file, cwd))];
  try {
    const { map, diagnostics } = readPatchFile(file, text, undefined, cwd);
    if (!map) return { root: emptyRoot(file), files, diagnostics };
    resolveIncludes(map, files, new Map(), cwd);
    return { root: map, files, diagnostics: [] };
  } catch (error) {
    if (error instanceof PatchError) {
      return {
        root: emptyRoot(file),
        files,
        diagnostics: [
          {
            code: error.code,
            severity: 'error',
            message: error.message,
            ...(error.span ? { span: error.span } : {}),
            ...(error.hint ? { hint: error.hint } : {}),
          },
        ],
      };
    }
    throw error;
  }
}

function emptyRoot(file: string): PatchMap {
  return { kind: 'map', span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, entries: [], file };
}

/** svdtools' `yaml_includes`: children first, then this map's own includes; returns the files included. */
function resolveIncludes(parent: PatchMap, files: string[], parsed: Map<string, Located>, cwd: string | undefined, depth = 0): string[] {
  const included: string[] = [];
  for (const e of parent.entries) {
    if (e.key.startsWith('_') || e.value.kind !== 'map') continue;
    if (e.value.entries.some((c) => c.key === '_include')) included.push(...resolveIncludes(e.value, files, parsed, cwd, depth + 1));
  }
  for (const { value: relative, span } of stringList(parent, '_include')) {
    const target = join(dirname(parent.file), relative);
    if (!existsSync(readable(target, cwd))) throw new PatchError('patch/include-not-found', `_include: ${relative} not found (looked for ${target})`, span);
    const path = canonical(readable(target, cwd));
    if (included.includes(path)) continue;
    if (depth > 32) throw new PatchError('patch/include-cycle', `_include nests more than 32 files deep (a cycle?) at ${relative}`, span);
    let child: PatchMap | undefined;
    try {
      const read = readPatchFile(target, undefined, parsed, cwd);
      if (read.diagnostics.length > 0) {
        const first = read.diagnostics[0] as Diagnostic;
        throw new PatchError('patch/bad-yaml', `in included ${relative}: ${first.message}`, first.span);
      }
      child = read.map;
    } catch (error) {
      if (error instanceof PatchError) throw error;
      throw new PatchError('patch/include-not-found', `_include: cannot read ${relative}: ${(error as Error).message}`, span);
    }
    if (!child || child.entries.length === 0) continue;
    included.push(path);
    if (!files.includes(path)) files.push(path);
    included.push(...resolveIncludes(child, files, parsed, cwd, depth + 1));
    mergeInto(parent, child);
  }
  parent.entries = parent.entries.filter((e) => e.key !== '_include');
  return included;
}

function sameValue(a: PatchValue, b: PatchValue): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'scalar') return a.value === (b as typeof a).value;
  if (a.kind === 'seq') {
    const bs = (b as typeof a).items;
    return a.items.length === bs.length && a.items.every((x, i) => sameValue(x, bs[i] as PatchValue));
  }
  const bm = b as typeof a;
  return (
    a.entries.length === bm.entries.length && a.entries.every((x, i) => x.key === bm.entries[i]?.key && sameValue(x.value, (bm.entries[i] as typeof x).value))
  );
}

/** svdtools' `update_dict`: merge `child` into `parent`, the parent's values winning. */
function mergeInto(parent: PatchMap, child: PatchMap): void {
  for (const c of child.entries) {
    if (c.key === '_include' || c.key === '_path') continue;
    const p = parent.entries.find((e) => e.key === c.key);
    if (!p) {
      parent.entries.push(c);
      continue;
    }
    const pv = p.value;
    const cv = c.value;
    if (sameValue(pv, cv)) continue;
    if (pv.kind === 'seq') {
      if (cv.kind === 'seq') pv.items = [...pv.items, ...cv.items];
      else if (cv.kind === 'scalar' && typeof cv.value === 'string' && !pv.items.some((i) => sameValue(i, cv))) pv.items = [...pv.items, cv];
    } else if (pv.kind === 'map') {
      mergeInto(pv, asMap(cv, c.key));
    } else if (pv.kind === 'scalar' && typeof pv.value === 'string' && cv.kind === 'seq') {
      if (!cv.items.some((i) => sameValue(i, pv))) p.value = { kind: 'seq', span: cv.span, items: [pv, ...cv.items] };
    }
    // Two different strings: svdtools prints "conflicting rules" and keeps the including file's.
  }
}
