import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { specHash } from '../ir/canonical.ts';
import { projectPath, type Project } from '../project/index.ts';
import type { Binding } from '../bind/index.ts';
import type { SolvedConfiguration } from '../configure/index.ts';
import { engineProblem, type Engine } from '../solve/index.ts';
import { loadSoftwareSpecs, type SoftwareSpecs } from './load-software-specs.ts';
import { loadRevisions } from './load-revisions.ts';
import { bindRevision, configureRevision, type Revision } from './check.ts';
import { diffBetween, matchesBetween } from './matches.ts';
import { applyPolicy } from '../diff/policy.ts';
import { inputsKeys } from './inputs-key.ts';
import { fastKey, readFastRecord, writeFastRecord, type FastRecord } from './fast-cache.ts';
import { recordingReads } from './recorded-reads.ts';
import type { CiReport, CompileResult, GeneratedTarget, RevisionReport, ScenarioResult } from './ci-types.ts';

export { PIPELINE_VERSION, toolFingerprint } from './inputs-key.ts';

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
  /** Where this revision's targets go (absolute). */
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
  /** Every result came from the cache without reading the inputs beyond their bytes (fast-cache.ts). */
  readonly fastPath?: boolean;
}

const cacheFile = (output: string, board: string, revision: string): string => join(output, '.cache', board, `${revision}.json`);

function readCache(project: Project, file: string, key: string, siblingsKey: string): RevisionReport | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as RevisionReport;
    if (cached.inputsKey !== key) return undefined;
    if (cached.siblingsKey !== undefined && cached.siblingsKey !== siblingsKey) return undefined;
    if (!cached.generated.every((g) => existsSync(projectPath(project, g.dir)))) return undefined;
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
  // A solver that cannot run makes every verdict unestablished: stop before any work, loudly.
  const engineDown = engineProblem(engine);
  if (engineDown) return { report: emptyReport(project, [engineDown]), unusable: [engineDown] };
  const progress = options.onProgress ?? (() => undefined);
  const fast = fastKey(project, stages.versions, engine);
  const fastHit = options.fresh ? undefined : fastPath(project, readFastRecord(project, fast));
  if (fastHit) {
    for (const r of fastHit.reports) progress({ board: r.board, revision: r.revision, step: 'cached' });
    return { report: summarise(project, fastHit.reports, fastHit.diagnostics), fastPath: true };
  }
  // Everything the inputs are made of is read here, and recorded for the fast path of the next run.
  const { value: inputs, record } = recordingReads(project.root, () => ({
    specs: loadSoftwareSpecs({ contracts: project.contracts, configs: project.configs, profiles: project.profiles }, project.cwd),
    loaded: loadRevisions(project.boards, { limits: project.limits, cwd: project.cwd }),
  }));
  const { specs, loaded } = inputs;
  // Overlay findings (entries missing from a revision) belong to the project, not to one revision file.
  const overlays = new Set(project.boards.flatMap((b) => (b.overlay !== undefined ? [b.overlay] : [])));
  const projectDiagnostics = [...specs.diagnostics, ...loaded.diagnostics.filter((d) => d.span !== undefined && overlays.has(d.span.file))];
  const loadErrors = [...specs.diagnostics, ...loaded.diagnostics].filter((d) => d.severity === 'error');
  if (loaded.unusable || loadErrors.length > 0) {
    return { report: emptyReport(project, [...specs.diagnostics, ...loaded.diagnostics]), unusable: [...specs.diagnostics, ...loaded.diagnostics] };
  }
  const work = loaded.revisions.map((revision, index) => {
    const previous = loaded.revisions[index - 1];
    const predecessor = previous && previous.board === revision.board ? previous : undefined;
    return { revision, predecessor };
  });
  const keys = inputsKeys(project, specs, loaded.revisions, stages.versions, engine);
  let allCached = true;
  const reports = await inParallel(work, options.jobs ?? 2, async ({ revision, predecessor }) => {
    const inputsKey = keys.inputsKey(revision, predecessor);
    const cache = cacheFile(projectPath(project, project.output), revision.board, revision.revision);
    const siblingsKey = keys.siblingsKey(revision);
    const hit = options.fresh ? undefined : readCache(project, cache, inputsKey, siblingsKey);
    if (hit) {
      progress({ board: revision.board, revision: revision.revision, step: 'cached' });
      return hit;
    }
    const computed = await runRevision(project, specs, loaded.revisions, revision, predecessor, loaded.diagnostics, stages, engine, inputsKey, progress);
    // An unmet configuration lists the board's other revisions that would meet it, so only then do
    // those revisions become an input: adding one must redo this revision, and otherwise must not.
    const report = computed.configurations.some((c) => c.unsatisfiable.length > 0) ? { ...computed, siblingsKey } : computed;
    // A result the environment spoiled (a killed or timed-out tool, a missing one) is not a function
    // of the inputs: report it, never cache it.
    if (![...report.compiled, ...report.scenarios].some((s) => s.status === 'error')) writeCache(cache, report);
    else allCached = false;
    progress({ board: revision.board, revision: revision.revision, step: 'done' });
    return report;
  });
  // The fast path may only promise what the cache holds: every revision, from reads it can name again.
  if (allCached && record.complete) {
    writeFastRecord(project, {
      key: fast,
      reads: record.observations,
      revisions: reports.map((r) => ({ board: r.board, revision: r.revision, inputsKey: r.inputsKey, siblingsKey: r.siblingsKey ?? '' })),
      diagnostics: projectDiagnostics,
    });
  }
  return { report: summarise(project, reports, projectDiagnostics) };
}

/** The cached revisions a fast record names, when every one is still in the cache with its outputs. */
function fastPath(project: Project, record: FastRecord | undefined): { reports: RevisionReport[]; diagnostics: readonly Diagnostic[] } | undefined {
  if (!record) return undefined;
  const reports: RevisionReport[] = [];
  for (const r of record.revisions) {
    const hit = readCache(project, cacheFile(projectPath(project, project.output), r.board, r.revision), r.inputsKey, r.siblingsKey);
    if (!hit) return undefined;
    reports.push(hit);
  }
  return { reports, diagnostics: record.diagnostics };
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
  const say = (step: ProgressEvent['step'], detail?: string): void =>
    progress({ board: revision.board, revision: revision.revision, step, ...(detail ? { detail } : {}) });
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
  const bound = bindRevision(specs.contracts, all, revision, matchesBetween, engine, specs.configs);
  const bindings = bound.value;
  diagnostics.push(...bound.diagnostics);
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
    outputDir: projectPath(project, join(project.output, revision.board, revision.revision)),
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
      undecided: ops.filter((o) => o.verdict === 'undecided').length,
      // Every configuration requirement that cannot be met is one `configure/…` error (unmet target, no irq, bad setting).
      unsatisfiable: revisions.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('configure/')).length, 0),
      generateFailures: revisions.reduce(
        (n, r) =>
          n +
          r.diagnostics.filter((d) => d.severity === 'error' && (d.code.startsWith('generate/') || d.code.startsWith('ci/') || d.code.startsWith('lower/')))
            .length,
        0,
      ),
      compileFailures: revisions.reduce((n, r) => n + r.compiled.filter((c) => c.status === 'failed').length, 0),
      environmentErrors: revisions.reduce((n, r) => n + [...r.compiled, ...r.scenarios].filter((c) => c.status === 'error').length, 0),
      scenariosPassed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'passed').length, 0),
      scenariosFailed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'failed').length, 0),
    },
  };
}

/** The exit code policy: `broken` (default) fails on broken operations, failed compiles or scenarios, and unmet configurations. */
export function ciExitCode(report: CiReport, failOn: 'broken' | 'attention' | 'never'): number {
  if (failOn === 'never') return 0;
  const s = report.summary;
  if (
    s.generateFailures > 0 ||
    s.compileFailures > 0 ||
    s.environmentErrors > 0 ||
    s.scenariosFailed > 0 ||
    s.unsatisfiable > 0 ||
    s.broken > 0 ||
    s.undecided > 0
  )
    return 1;
  if (failOn === 'attention' && s.attention > 0) return 1;
  return 0;
}
