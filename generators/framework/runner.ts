import { join, relative, resolve } from 'node:path';
import type { Diagnostic, StageResult } from '../../src/diagnostics/types.ts';
import { hasErrors } from '../../src/diagnostics/types.ts';
import { sha256 } from '../../src/hash/index.ts';
import { stableStringify } from '../../src/ir/canonical.ts';
import { flatText } from './flat-text.ts';
import { provenance, withHeaderPieces } from './header.ts';
import { fileHash, isSafeRelativePath, piecesOf, readManifest, textHash } from './output-files.ts';
import type { AnyGenerator, GeneratedFile, GeneratorModel, OutputFile, PiecewiseFile } from './types.ts';

/**
 * Runs generators: checks their config, catches their bugs as diagnostics, adds the provenance
 * header and refuses unsafe paths. Generators are pure; only staging.ts writes (all-or-nothing).
 */

export { MANIFEST } from './output-files.ts';
export { sha256 };
export { stageOutput, startStage, writeOutput, type OpenStage, type StagedOutput, type WriteReport } from './staging.ts';

/** Hash of everything that determines a target's output. */
export function inputsHash(generator: AnyGenerator, model: GeneratorModel, config: unknown): string {
  return sha256(
    stableStringify({
      target: generator.name,
      version: generator.version,
      specHash: model.specHash,
      operations: model.operations,
      config: model.config,
      options: config,
    }),
  );
}

/** Runs one generator and returns its files, sorted by path, each text whole. */
export function renderTarget(
  generator: AnyGenerator,
  model: GeneratorModel,
  rawConfig: unknown = {},
): StageResult<readonly GeneratedFile[]> & { config?: unknown } {
  const result = renderPieces(generator, model, rawConfig);
  if (!result.value) return { value: undefined, diagnostics: result.diagnostics };
  return { ...result, value: result.value.map((f) => ({ path: f.path, contents: flatText(f.pieces.join('')) })) };
}

/** A file's pieces collected in a list (renderPieces). */
export interface ListedPieces extends PiecewiseFile {
  readonly pieces: readonly string[];
}

/**
 * renderTarget with each file's text left in the pieces it was made of (header included). Joined,
 * the pieces are renderTarget's contents.
 */
export function renderPieces(
  generator: AnyGenerator,
  model: GeneratorModel,
  rawConfig: unknown = {},
): StageResult<readonly ListedPieces[]> & { config?: unknown } {
  const files: ListedPieces[] = [];
  const result = renderInto(generator, model, rawConfig, (file) => files.push({ path: file.path, pieces: [...file.pieces] }));
  if (!result.ok) return { value: undefined, diagnostics: result.diagnostics };
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { value: files, diagnostics: result.diagnostics, config: result.config };
}

/** What renderInto says once the generator has returned. */
export interface RenderOutcome {
  /** False when the files handed over must not be used: a bad config, a crash, an unsafe path or an error. */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly config?: unknown;
}

/**
 * Runs one generator, handing each file (header added, path checked) to `take` as soon as the
 * generator makes it, so a caller can hash and stage it and keep none of the text (the CLI). Files
 * come in the generator's order. `take` must iterate the file's pieces before it returns (they may be
 * made as they are iterated, and the generator's diagnostics with them). When the outcome is not ok,
 * what `take` received is to be discarded.
 */
export function renderInto(generator: AnyGenerator, model: GeneratorModel, rawConfig: unknown, take: (file: PiecewiseFile) => void): RenderOutcome {
  const parsed = generator.configSchema.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      diagnostics: parsed.error.issues.map(
        (issue): Diagnostic => ({
          code: 'generate/bad-config',
          severity: 'error',
          message: `${generator.name} option ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        }),
      ),
    };
  }
  const line = provenance(generator.name, generator.version, model);
  const seen = new Set<string>();
  let badPath: string | undefined;
  // What `take` throws (staging refused a file, the disk is full) is the caller's, not a generator crash.
  let takeFailed: { error: unknown } | undefined;
  const emit = (file: OutputFile): void => {
    if (badPath !== undefined) return;
    if (seen.has(file.path) || !isSafeRelativePath(file.path)) {
      badPath = file.path;
      return;
    }
    seen.add(file.path);
    try {
      take({ path: file.path, pieces: withHeaderPieces(file.path, ownFaults(piecesOf(file)), line) });
    } catch (error) {
      if (error instanceof GeneratorFault) throw error.error; // a piece failed to render: the generator's bug
      takeFailed = { error };
      throw error;
    }
  };
  let diagnostics: readonly Diagnostic[];
  try {
    diagnostics = generator.generate(model, parsed.data, emit);
  } catch (error) {
    if (takeFailed) throw takeFailed.error;
    return {
      ok: false,
      diagnostics: [
        {
          code: 'internal/generator-crash',
          severity: 'error',
          message: `the ${generator.name} generator failed: ${(error as Error).stack ?? String(error)}`,
          span: model.device.span,
        },
      ],
    };
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  if (badPath !== undefined) {
    return {
      ok: false,
      diagnostics: [
        {
          code: 'internal/generator-bad-path',
          severity: 'error',
          message: `the ${generator.name} generator produced a duplicate or unsafe path ${JSON.stringify(badPath)}`,
        },
      ],
    };
  }
  return { ok: true, diagnostics, config: parsed.data };
}

/** An error thrown while a file's pieces were made (inside `take`, but the generator's). */
class GeneratorFault {
  constructor(readonly error: unknown) {}
}

function* ownFaults(pieces: Iterable<string>): Generator<string> {
  try {
    yield* pieces;
  } catch (error) {
    throw new GeneratorFault(error);
  }
}

/** True when the folder holds exactly what the manifest says for these inputs (no render needed). */
export function isUpToDate(dir: string, hash: string): boolean {
  const manifest = readManifest(dir);
  if (!manifest || manifest.inputsHash !== hash) return false;
  return Object.entries(manifest.files).every(([path, expected]) => fileHash(join(dir, path)) === expected);
}

export interface CheckReport {
  readonly outOfDate: readonly string[];
  readonly missing: readonly string[];
  /** Files a previous run wrote that this run would remove. */
  readonly extra: readonly string[];
}

/** `--check`: compares what would be written with what is on disk, writing nothing. */
export function checkOutput(dir: string, files: readonly OutputFile[]): CheckReport {
  const absolute = resolve(dir);
  const outOfDate: string[] = [];
  const missing: string[] = [];
  for (const f of files) {
    const onDisk = fileHash(join(absolute, ...f.path.split('/')));
    if (onDisk === undefined) missing.push(f.path);
    else if (onDisk !== textHash(f)) outOfDate.push(f.path);
  }
  const keep = new Set(files.map((f) => f.path));
  const extra = Object.keys(readManifest(absolute)?.files ?? {}).filter((p) => !keep.has(p));
  return { outOfDate, missing, extra };
}

export function relativeTo(base: string, file: string): string {
  return relative(base, file) || '.';
}
