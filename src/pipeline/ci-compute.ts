/**
 * The part of `specdrive ci` a fast-path hit skips (fast-cache.ts): load and import every input
 * while recording what was read, key each revision semantically (inputs-key.ts), take what the
 * revision cache holds, compute the rest, and write the fast record for the next run.
 */
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { specHash } from '../ir/canonical.ts';
import { projectPath, type Project } from '../project/index.ts';
import type { Engine } from '../solve/index.ts';
import { loadSoftwareSpecs, type SoftwareSpecs } from './load-software-specs.ts';
import { loadRevisions } from './load-revisions.ts';
import { bindRevision, configureRevision, type Revision } from './check.ts';
import { diffBetween, matchesBetween } from './matches.ts';
import { applyPolicy } from '../diff/policy.ts';
import { inputsKeys } from './inputs-key.ts';
import { writeFastRecord } from './fast-cache.ts';
import { recordingReads } from './recorded-reads.ts';
import { cacheFile, readCache, writeCache } from './revision-cache.ts';
import { emptyReport, summarise } from './ci-summary.ts';
import type { RevisionReport } from './ci-types.ts';
import type { CiOptions, CiOutcome, CodeStages, ProgressEvent, RevisionContext } from './ci.ts';

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

export async function computeCi(options: CiOptions, engine: Engine, fast: string, progress: (event: ProgressEvent) => void): Promise<CiOutcome> {
  const { project, stages } = options;
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
