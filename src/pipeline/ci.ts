import type { Diagnostic } from '../diagnostics/types.ts';
import { projectPath, type Project } from '../project/index.ts';
import type { Binding } from '../bind/index.ts';
import type { SolvedConfiguration } from '../configure/index.ts';
import { engineProblem, type Engine } from '../solve/index.ts';
import type { SoftwareSpecs } from './load-software-specs.ts';
import type { Revision } from './check.ts';
import { fastKey, readFastRecord, type FastRecord } from './fast-cache.ts';
import { cacheFile, readCache } from './revision-cache.ts';
import { emptyReport, summarise } from './ci-summary.ts';
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
  // Loading, importing, checking and keying are imported only now: a fast hit never compiles them.
  return (await import('./ci-compute.ts')).computeCi(options, engine, fast, progress);
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
