import { existsSync } from 'node:fs';
import { importCliOptions, limitsFrom } from '../import-options.ts';
import { join, relative } from 'node:path';
import type { Command, CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { loadProject, type Project } from '../../project/index.ts';
import { ciExitCode, runCi, type ProgressEvent } from '../../pipeline/ci.ts';
import { defaultCodeStages } from '../../pipeline/code-stages.ts';
import type { CiReport } from '../../pipeline/ci-types.ts';
import { writeReport, reportFiles, allDiagnostics } from '../../report/index.ts';

export function progressPrinter(context: CommandContext): (e: ProgressEvent) => void {
  return (e) => {
    const line = `${e.board} ${e.revision}: ${e.step}${e.detail ? ` ${e.detail}` : ''}`;
    // On a terminal one line rewrites itself; CI logs get one plain line per step.
    if (context.isTTY) context.stderr(`\r\u001b[2K${line}${e.step === 'done' || e.step === 'cached' ? '\n' : ''}`);
    else context.stderr(line + '\n');
  };
}

export function summaryLines(report: CiReport, reportDir: string): string {
  const s = report.summary;
  const lines = [
    `${report.project}: ${s.revisions} revision(s), ${s.cached} from cache`,
    `  operations: ${s.broken} broken, ${s.attention} need attention`,
    `  configurations: ${s.unsatisfiable} unmet requirement(s)`,
    `  generation errors: ${s.generateFailures}; compile failures: ${s.compileFailures}; environment errors (not cached): ${s.environmentErrors}; scenarios: ${s.scenariosPassed} passed, ${s.scenariosFailed} failed`,
    `  report: ${join(reportDir, 'index.html')} (also report.md, report.json, report.sarif)`,
  ];
  return lines.join('\n') + '\n';
}

export async function runProjectCi(project: Project, context: CommandContext, options: { fresh: boolean; format: string }): Promise<{ report?: CiReport; code: number; reportDir?: string }> {
  const outcome = await runCi({ project, stages: defaultCodeStages, onProgress: progressPrinter(context), fresh: options.fresh });
  if (outcome.unusable) return { code: emitDiagnostics(outcome.unusable, context, { format: 'text', failOn: 'error', unusable: true }) };
  const reportDir = relative(process.cwd(), join(project.output, 'report')) || '.';
  writeReport(reportDir, outcome.report);
  // Every error is printed, broken operations included (with their contract and hardware spans as
  // notes): a failing CI log must say why without opening the report. Lesser verdicts stay in the report.
  const failures = allDiagnostics(outcome.report).filter((d) => d.severity === 'error');
  if (failures.length && options.format === 'text') emitDiagnostics(failures, context, { format: 'text', failOn: 'error' });
  if (options.format !== 'text') {
    const files = reportFiles(outcome.report);
    context.stdout(options.format === 'json' ? (files['report.json'] as string) : options.format === 'sarif' ? (files['report.sarif'] as string) : (files['report.md'] as string));
  }
  return { report: outcome.report, code: 0, reportDir };
}

export const ciCommand: Command = {
  name: 'ci',
  summary: 'for each revision: validate, diff, bind, solve, generate, compile, test against the simulator, report',
  usage: `ci [--project specdrive.yaml] [--board NAME] [--fail-on broken|attention|never] [--format text|markdown|json|sarif] [--fresh] [--matrix] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Writes the report to <output>/report/ (index.html, report.md, report.json, report.sarif).
  Unchanged revisions are taken from the cache (--fresh redoes them).
  --matrix prints the boards as a GitHub Actions matrix and exits.`,
  options: {
    project: { type: 'string', default: 'specdrive.yaml' },
    'fail-on': { type: 'string' },
    format: { type: 'string', default: 'text' },
    fresh: { type: 'boolean', default: false },
    matrix: { type: 'boolean', default: false },
    board: { type: 'string' },
    'max-bytes': importCliOptions['max-bytes'],
    'max-nodes': importCliOptions['max-nodes'],
    'max-dim': importCliOptions['max-dim'],
    'max-depth': importCliOptions['max-depth'],
  },
  async run(args, context) {
    const projectFile = String(args.values.project);
    if (!existsSync(projectFile)) throw new UsageError(`no project file ${projectFile} (run specdrive init, or pass --project)`);
    const format = String(args.values.format);
    if (!['text', 'markdown', 'json', 'sarif'].includes(format)) throw new UsageError('--format must be text, markdown, json or sarif');
    const loaded = loadProject(projectFile);
    if (!loaded.value) return emitDiagnostics(loaded.diagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    const only = args.values.board as string | undefined;
    if (only !== undefined && !loaded.value.boards.some((b) => b.board === only)) throw new UsageError(`no board ${only} in ${projectFile}`);
    // One board per CI job (--matrix lists them); the cache and report stay per board.
    // Limits on the command line override the project file's.
    const withLimits = { ...loaded.value, limits: { ...loaded.value.limits, ...limitsFrom(args.values) } };
    const project = only === undefined ? withLimits : { ...withLimits, boards: withLimits.boards.filter((b) => b.board === only) };
    if (args.values.matrix) {
      context.stdout(JSON.stringify({ include: project.boards.map((b) => ({ board: b.board, revisions: b.files.length })) }) + '\n');
      return 0;
    }
    const failOn = (args.values['fail-on'] as string | undefined) ?? project.failOn;
    if (!['broken', 'attention', 'never'].includes(failOn)) throw new UsageError('--fail-on must be broken, attention or never');
    const { report, code, reportDir } = await runProjectCi(project, context, { fresh: Boolean(args.values.fresh), format });
    if (!report || !reportDir) return code;
    if (format === 'text') context.stdout(summaryLines(report, reportDir));
    return ciExitCode(report, failOn as 'broken' | 'attention' | 'never');
  },
};


