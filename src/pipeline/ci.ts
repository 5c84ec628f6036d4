import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { canonicalJson, specHash } from '../ir/canonical.ts';
import type { Project } from '../project/index.ts';
import { bindingDiagnostics, type Binding } from '../bind/index.ts';
import type { SolvedConfiguration } from '../configure/index.ts';
import type { Engine } from '../solve/index.ts';
import { loadSoftwareSpecs, type SoftwareSpecs } from './load-software-specs.ts';
import { loadRevisions } from './load-revisions.ts';
import { bindRevision, configureRevision, type Revision } from './check.ts';
import { diffBetween, matchesBetween } from './matches.ts';
import { applyPolicy } from '../diff/policy.ts';
import { filesHash, sha256 } from '../hash/index.ts';
import { filesUnder } from './files.ts';
import { packagePath, runningFromSource } from '../package/root.ts';
import type { CiReport, CompileResult, GeneratedTarget, RevisionReport, ScenarioResult } from './ci-types.ts';

export const PIPELINE_VERSION = '1';

/**
 * A fingerprint of specdrive itself (its sources, templates, matcher weights and solver): a cached
 * revision result is only as good as the tool that computed it. Computed once per process.
 */
let fingerprint: string | undefined;
export function toolFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  // From a checkout the sources run; from the installed package the bundle in dist/ does, beside the
  // shipped templates, runtimes and weights (under generators/ and src/).
  const codeDirs = runningFromSource ? ['src', 'generators', 'firmware-sim'] : ['dist', 'src', 'generators'];
  const files = codeDirs.flatMap((dir) => filesUnder(packagePath(dir), (name) => /\.(ts|js|hbs|json|py|wasm)$/.test(name)));
  files.push(packagePath('wasm-core', 'specdrive_core.wasm'));
  fingerprint = filesHash(files);
  return fingerprint;
}

export interface ProgressEvent {
  readonly board: string;
  readonly revision: string;
  readonly step: 'cached' | 'validate' | 'diff' | 'bind' | 'configure' | 'generate' | 'compile' | 'scenarios' | 'done';
  readonly detail?: string;
}

/** What a revision's later stages receive: everything computed so far. */
export interface RevisionContext {
  readonly project: Project;
  readonly revision: Revision;
  readonly predecessor?: Revision;
  readonly specs: SoftwareSpecs;
  readonly bindings: readonly Binding[];
  readonly configurations: readonly SolvedConfiguration[];
  readonly outputDir: string;
  readonly engine: Engine;
  readonly diagnostics: Diagnostic[];
}

/**
 * The stages that produce and exercise code. Kept apart so that `ci` can run with whichever exist
 * and tests can replace them; each returns plain results for the report.
 */
export interface CodeStages {
  /** Version strings of everything that shapes the output (generators), part of the cache key. */
  readonly versions: string;
  generate(context: RevisionContext): Promise<readonly GeneratedTarget[]>;
  compile(context: RevisionContext, generated: readonly GeneratedTarget[]): Promise<readonly CompileResult[]>;
  scenarios(context: RevisionContext, generated: readonly GeneratedTarget[]): Promise<readonly ScenarioResult[]>;
}

export interface CiOptions {
  readonly project: Project;
  readonly stages: CodeStages;
  readonly engine?: Engine;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Ignore cached results. */
  readonly fresh?: boolean;
  /** Revisions computed at once (independent revisions run in parallel). */
  readonly jobs?: number;
}

export interface CiOutcome {
  readonly report: CiReport;
  /** Findings that made the inputs unusable (the run stopped before any revision). */
  readonly unusable?: readonly Diagnostic[];
}

const cacheFile = (output: string, board: string, revision: string): string => join(output, '.cache', board, `${revision}.json`);

function readCache(file: string, key: string, siblingsKey: string): RevisionReport | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as RevisionReport;
    if (cached.inputsKey !== key) return undefined;
    if (cached.siblingsKey !== undefined && cached.siblingsKey !== siblingsKey) return undefined;
    if (!cached.generated.every((g) => existsSync(g.dir))) return undefined;
    return { ...cached, cached: true };
  } catch {
    return undefined;
  }
}

function writeCache(file: string, report: RevisionReport): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(report) + '\n');
  renameSync(temp, file);
}

async function inParallel<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/**
 * `specdrive ci`: for each revision of each board, validate → diff against its predecessor → bind
 * every contract → solve configurations → generate every target → compile → run the contract
 * scenarios against the simulator. A revision whose inputs hash to a cached key is not redone.
 */
export async function runCi(options: CiOptions): Promise<CiOutcome> {
  const { project, stages } = options;
  const engine = options.engine ?? 'wasm';
  const progress = options.onProgress ?? (() => undefined);
  const specs = loadSoftwareSpecs({ contracts: project.contracts, configs: project.configs, profiles: project.profiles });
  const loaded = loadRevisions(project.boards);
  // Overlay findings (entries missing from a revision) belong to the project, not to one revision file.
  const overlays = new Set(project.boards.flatMap((b) => (b.overlay !== undefined ? [b.overlay] : [])));
  const projectDiagnostics = [...specs.diagnostics, ...loaded.diagnostics.filter((d) => d.span !== undefined && overlays.has(d.span.file))];
  const loadErrors = [...specs.diagnostics, ...loaded.diagnostics].filter((d) => d.severity === 'error');
  if (loaded.unusable || loadErrors.length > 0) {
    return { report: emptyReport(project, [...specs.diagnostics, ...loaded.diagnostics]), unusable: [...specs.diagnostics, ...loaded.diagnostics] };
  }
  // Overlays are inputs too: a waiver changes a revision's findings without changing its device.
  const softwareKey = filesHash([...project.contracts, ...project.configs, ...project.profiles, ...overlays]);
  const work = loaded.revisions.map((revision, index) => {
    const previous = loaded.revisions[index - 1];
    const predecessor = previous && previous.board === revision.board ? previous : undefined;
    return { revision, predecessor };
  });
  // A revision's results quote other revisions' source spans (the diff's `before` side in its
  // predecessor, a conflict's hardware side in a contract's reference revision), so the located
  // content of those revisions is part of its inputs: moving their lines must redo it.
  const memo = (compute: (r: Revision) => string): ((r: Revision) => string) => {
    const hashes = new Map<Revision, string>();
    return (r) => hashes.get(r) ?? hashes.set(r, compute(r)).get(r)!;
  };
  const locatedHash = memo((r) => sha256(canonicalJson(r.device, { spans: true })));
  const contentHash = memo((r) => specHash(r.device));
  const referencesOf = (revision: Revision): Revision[] =>
    loaded.revisions.filter((r) => r !== revision && r.board === revision.board && specs.contracts.some((c) => c.writtenFor.board === r.board && c.writtenFor.revision === r.revision));
  const reports = await inParallel(work, options.jobs ?? 2, async ({ revision, predecessor }) => {
    const inputsKey = sha256(
      [PIPELINE_VERSION, toolFingerprint(), stages.versions, engine, locatedHash(revision), predecessor ? locatedHash(predecessor) : '-', referencesOf(revision).map(locatedHash).join(','), softwareKey, project.targets.join(',')].join('\n'),
    );
    const cache = cacheFile(project.output, revision.board, revision.revision);
    const siblingsKey = sha256(loaded.revisions.filter((r) => r.board === revision.board && r !== revision).map(contentHash).join(','));
    const hit = options.fresh ? undefined : readCache(cache, inputsKey, siblingsKey);
    if (hit) {
      progress({ board: revision.board, revision: revision.revision, step: 'cached' });
      return hit;
    }
    const computed = await runRevision(project, specs, loaded.revisions, revision, predecessor, loaded.diagnostics, stages, engine, inputsKey, progress);
    // An unmet configuration lists the board's other revisions that would meet it, so only then do
    // those revisions become an input: adding one must redo this revision, and otherwise must not.
    const report = computed.configurations.some((c) => c.unsatisfiable.length > 0) ? { ...computed, siblingsKey } : computed;
    writeCache(cache, report);
    progress({ board: revision.board, revision: revision.revision, step: 'done' });
    return report;
  });
  return { report: summarise(project, reports, projectDiagnostics) };
}

async function runRevision(
  project: Project,
  specs: SoftwareSpecs,
  all: readonly Revision[],
  revision: Revision,
  predecessor: Revision | undefined,
  loadDiagnostics: readonly Diagnostic[],
  stages: CodeStages,
  engine: Engine,
  inputsKey: string,
  progress: (event: ProgressEvent) => void,
): Promise<RevisionReport> {
  const say = (step: ProgressEvent['step'], detail?: string): void => progress({ board: revision.board, revision: revision.revision, step, ...(detail ? { detail } : {}) });
  const diagnostics: Diagnostic[] = loadDiagnostics.filter((d) => d.span?.file === revision.file);
  say('validate');
  let diff: RevisionReport['diff'];
  if (predecessor) {
    say('diff', `against ${predecessor.revision}`);
    const result = diffBetween(predecessor.device, revision.device);
    diagnostics.push(...result.diagnostics);
    // Graded like `specdrive diff` grades them, so the report keeps the diff's severities.
    if (result.value) diff = { against: predecessor.revision, changes: applyPolicy(result.value).changes, layouts: result.value.layouts };
  }
  say('bind');
  const bindings = bindRevision(specs.contracts, all, revision, matchesBetween, engine, specs.configs);
  diagnostics.push(...bindingDiagnostics(bindings));
  say('configure');
  const configured = configureRevision(specs.configs, all, revision, specs.profiles[0], engine);
  const configurations = configured.configurations;
  diagnostics.push(...configured.diagnostics);
  const context: RevisionContext = {
    project,
    revision,
    ...(predecessor ? { predecessor } : {}),
    specs,
    bindings,
    configurations,
    outputDir: join(project.output, revision.board, revision.revision),
    engine,
    diagnostics,
  };
  say('generate');
  const generated = await stages.generate(context);
  say('compile');
  const compiled = await stages.compile(context, generated);
  say('scenarios');
  const scenarios = await stages.scenarios(context, generated);
  return {
    board: revision.board,
    revision: revision.revision,
    file: revision.file,
    specHash: specHash(revision.device),
    inputsKey,
    cached: false,
    diagnostics,
    ...(diff ? { diff } : {}),
    bindings,
    configurations,
    generated,
    compiled,
    scenarios,
  };
}

function emptyReport(project: Project, diagnostics: readonly Diagnostic[]): CiReport {
  return summarise(project, [], diagnostics);
}

function summarise(project: Project, revisions: readonly RevisionReport[], diagnostics: readonly Diagnostic[]): CiReport {
  const ops = revisions.flatMap((r) => r.bindings.flatMap((b) => b.operations));
  return {
    project: project.name,
    revisions,
    diagnostics,
    summary: {
      revisions: revisions.length,
      cached: revisions.filter((r) => r.cached).length,
      broken: ops.filter((o) => o.verdict === 'broken').length,
      attention: ops.filter((o) => o.verdict === 'attention').length,
      // Every configuration requirement that cannot be met is one `configure/…` error (unmet target, no irq, bad setting).
      unsatisfiable: revisions.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('configure/')).length, 0),
      generateFailures: revisions.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error' && (d.code.startsWith('generate/') || d.code.startsWith('ci/') || d.code.startsWith('lower/'))).length, 0),
      compileFailures: revisions.reduce((n, r) => n + r.compiled.filter((c) => c.status === 'failed').length, 0),
      scenariosPassed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'passed').length, 0),
      scenariosFailed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'failed').length, 0),
    },
  };
}

/** The exit code policy: `broken` (default) fails on broken operations, failed compiles or scenarios, and unmet configurations. */
export function ciExitCode(report: CiReport, failOn: 'broken' | 'attention' | 'never'): number {
  if (failOn === 'never') return 0;
  const s = report.summary;
  if (s.generateFailures > 0 || s.compileFailures > 0 || s.scenariosFailed > 0 || s.unsatisfiable > 0 || s.broken > 0) return 1;
  if (failOn === 'attention' && s.attention > 0) return 1;
  return 0;
}


