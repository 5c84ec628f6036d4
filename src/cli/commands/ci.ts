import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { importCliOptions, limitsFrom } from '../import-options.ts';
import { dirname, join, resolve } from 'node:path';
import type { Command, CommandContext } from '../command.ts';
import { EXIT_FINDINGS, UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { createProgress, quietOption } from '../progress.ts';
import { oneOf, parseFailOn, VERDICT_SCALE } from '../vocabulary.ts';
import { suggest } from '../../diagnostics/suggest.ts';
import { loadProject, projectPath, type Project } from '../../project/index.ts';
import { ciExitCode, runCi, toolFingerprint, type ProgressEvent } from '../../pipeline/ci.ts';
import { sha256 } from '../../hash/index.ts';
import { terminalText } from '../../formats/escape/index.ts';
import { defaultCodeStages } from '../../pipeline/code-stages.ts';
import type { CiReport } from '../../pipeline/ci-types.ts';
import { writeReport, reportFiles, allDiagnostics } from '../../report/index.ts';
import { needsAction } from '../../report/needs-action.ts';
import { chooseEngine, engineOptions, engineUsage } from '../engine-option.ts';
import type { Engine } from '../../solve/index.ts';

/** Per-stage progress of each revision: a rewriting line on a terminal, plain lines in CI logs, nothing with --quiet. */
export function progressPrinter(context: CommandContext, quiet = false): (e: ProgressEvent) => void {
  const progress = createProgress(context, quiet);
  return (e) => {
    const line = `${e.board} ${e.revision}: ${e.step}${e.detail ? ` ${e.detail}` : ''}`;
    if (context.isTTY && e.step !== 'done' && e.step !== 'cached') progress.update(line);
    else progress.step(line);
  };
}

export function summaryLines(report: CiReport, reportDir: string): string {
  const s = report.summary;
  const lines = [
    `${report.project}: ${s.revisions} revision(s), ${s.cached} from cache`,
    `  operations: ${s.broken} broken, ${s.undecided ? `${s.undecided} undecided, ` : ''}${s.attention} need attention`,
    `  configurations: ${s.unsatisfiable} unmet requirement(s)`,
    `  generation errors: ${s.generateFailures}; compile failures: ${s.compileFailures}; environment errors (not cached): ${s.environmentErrors}; scenarios: ${s.scenariosPassed} passed, ${s.scenariosFailed} failed`,
    `  report: ${join(reportDir, 'index.html')} (also report.md, report.json, report.sarif)`,
  ];
  // Each failure on its own line with why, so a CI log says what failed without opening the report.
  const failing = needsAction(report).filter((i) => i.kind !== 'change');
  if (failing.length > 0) lines.splice(4, 0, ...failing.map((i) => `  ✗ ${i.board} ${i.revision}: ${i.title} — ${i.reason}`));
  // Board, revision, operation and scenario names and the reasons quote the project's specs.
  return terminalText(lines.join('\n')) + '\n';
}

/**
 * Writes the report unless the one in place was rendered from the same results by the same
 * specdrive: on a warm run rendering it again (HTML above all) was a fifth of the run's CPU. The key
 * of the report in place is kept in the cache folder, beside the results it was made from.
 */
function writeReportUnlessSame(project: Project, reportDir: string, report: CiReport): void {
  const dir = projectPath(project, reportDir);
  const keyFile = projectPath(project, join(project.output, '.cache', 'report.key'));
  const key = sha256(`${toolFingerprint()}\n${JSON.stringify(report)}`);
  const same = REPORT_FILES.every((name) => existsSync(join(dir, name))) && readIfExists(keyFile) === key;
  if (same) return;
  // The old key goes first: a run ended between the two writes must not leave a key that vouches
  // for a report it did not describe.
  rmSync(keyFile, { force: true });
  writeReport(dir, report);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, key);
}

const REPORT_FILES = ['index.html', 'report.md', 'report.json', 'report.sarif'] as const;

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function runProjectCi(
  project: Project,
  context: CommandContext,
  options: { fresh: boolean; format: string; quiet?: boolean; engine?: Engine },
): Promise<{ report?: CiReport; code: number; reportDir?: string }> {
  const outcome = await runCi({
    project,
    stages: defaultCodeStages,
    onProgress: progressPrinter(context, options.quiet),
    fresh: options.fresh,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  if (outcome.unusable) return { code: emitDiagnostics(outcome.unusable, context, { format: 'text', failOn: 'error', unusable: true }) };
  // The report folder as the summary names it: relative to the working directory, like every project path.
  const reportDir = join(project.output, 'report');
  writeReportUnlessSame(project, reportDir, outcome.report);
  // Every error is printed, broken operations included (with their contract and hardware spans as
  // notes): a failing CI log must say why without opening the report. Lesser verdicts stay in the report.
  const failures = allDiagnostics(outcome.report).filter((d) => d.severity === 'error');
  if (failures.length && options.format === 'text') emitDiagnostics(failures, context, { format: 'text', failOn: 'error' });
  if (options.format !== 'text') {
    const files = reportFiles(outcome.report);
    context.stdout(
      options.format === 'json'
        ? (files['report.json'] as string)
        : options.format === 'sarif'
          ? (files['report.sarif'] as string)
          : (files['report.md'] as string),
    );
  }
  return { report: outcome.report, code: 0, reportDir };
}

export const ciCommand: Command = {
  name: 'ci',
  summary: 'for each revision: validate, diff, bind, solve, generate, compile, test against the simulator, report',
  usage: `ci [--project specdrive.yaml] [--board NAME] [--fail-on error|warning|info|never] [--format text|json|sarif|markdown] [--fresh] [--matrix] [--quiet] [--engine wasm|ts] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Writes the report to <output>/report/ (index.html, report.md, report.json, report.sarif).
  Unchanged revisions are taken from the cache (--fresh redoes them).
  --matrix prints the boards as a GitHub Actions matrix and exits.
  ${engineUsage}`,
  examples: [
    'specdrive ci',
    'specdrive ci --board my-board --fail-on warning',
    'specdrive ci --matrix   # {"include":[{"board":...}]} for a GitHub Actions matrix',
    'specdrive ci --quiet --format json > report.json',
  ],
  exitCodes: [
    '0  clean (or --fail-on never)',
    '1  a broken or undecided operation, unmet configuration, generation/compile/scenario failure, or (with --fail-on warning) an operation needing attention; also a project without contracts',
    '2  unusable input, a solver that cannot run, or a usage error',
  ],
  options: {
    project: { type: 'string', default: 'specdrive.yaml' },
    'fail-on': { type: 'string' },
    format: { type: 'string', default: 'text' },
    fresh: { type: 'boolean', default: false },
    matrix: { type: 'boolean', default: false },
    board: { type: 'string' },
    ...quietOption,
    ...engineOptions,
    'max-bytes': importCliOptions['max-bytes'],
    'max-nodes': importCliOptions['max-nodes'],
    'max-dim': importCliOptions['max-dim'],
    'max-depth': importCliOptions['max-depth'],
  },
  async run(args, context) {
    const projectFile = String(args.values.project);
    if (!existsSync(resolve(context.cwd, projectFile))) throw new UsageError(`no project file ${projectFile} (run specdrive init, or pass --project)`);
    const format = oneOf(args.values.format, ['text', 'json', 'sarif', 'markdown'] as const, '--format');
    const loaded = loadProject(projectFile, context.cwd);
    if (!loaded.value) return emitDiagnostics(loaded.diagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    const only = args.values.board as string | undefined;
    if (only !== undefined && !loaded.value.boards.some((b) => b.board === only)) {
      const near = suggest(
        only,
        loaded.value.boards.map((b) => b.board),
      );
      throw new UsageError(`no board ${only} in ${projectFile}${near ? `; did you mean ${near}?` : ''}`);
    }
    // One board per CI job (--matrix lists them); the cache and report stay per board.
    // Limits on the command line override the project file's.
    const withLimits = { ...loaded.value, limits: { ...loaded.value.limits, ...limitsFrom(args.values) } };
    const project = only === undefined ? withLimits : { ...withLimits, boards: withLimits.boards.filter((b) => b.board === only) };
    if (args.values.matrix) {
      context.stdout(JSON.stringify({ include: project.boards.map((b) => ({ board: b.board, revisions: b.files.length })) }) + '\n');
      return 0;
    }
    const failOn = parseFailOn(args.values['fail-on'] ?? project.failOn, VERDICT_SCALE);
    if (loaded.diagnostics.some((d) => d.severity === 'error'))
      return emitDiagnostics(loaded.diagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    const { engine, problem } = chooseEngine(args.values.engine);
    if (problem) return emitDiagnostics([problem], context, { format: 'text', failOn: 'error', unusable: true });
    // Without a contract the register-level stages still run, but the project is reported as empty.
    const empty = loaded.diagnostics.filter((d) => d.code === 'project/no-contracts');
    if (empty.length) emitDiagnostics(empty, context, { format: 'text', failOn: 'error' });
    const { report, code, reportDir } = await runProjectCi(project, context, {
      fresh: Boolean(args.values.fresh),
      format,
      quiet: args.values.quiet === true,
      engine,
    });
    if (!report || !reportDir) return code;
    if (format === 'text' && args.values.quiet !== true) context.stdout(summaryLines(report, reportDir));
    const verdict = ciExitCode(report, failOn);
    return empty.length && failOn !== 'never' ? Math.max(verdict, EXIT_FINDINGS) : verdict;
  },
};
