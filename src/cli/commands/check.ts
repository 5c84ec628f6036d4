import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { oneOf, parseFailOn, VERDICT_SCALE } from '../vocabulary.ts';
import { diagnosticsToSarif } from '../../diagnostics/sarif.ts';
import { loadProject } from '../../project/index.ts';
import { loadSoftwareSpecs } from '../../pipeline/load-software-specs.ts';
import { loadRevisions } from '../../pipeline/load-revisions.ts';
import { runCheck } from '../../pipeline/check.ts';
import { matchesBetween } from '../../pipeline/matches.ts';
import { bindingsToJson, bindingsToMarkdown, bindingsToText, failingRank, verdictRank } from '../../bind/index.ts';
import { chooseEngine, engineOptions, engineUsage } from '../engine-option.ts';
import { configurationsToMarkdown, configurationsToText } from '../../configure/index.ts';
import { terminalText } from '../../formats/escape/index.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'bind driver contracts to every revision and solve configurations under a profile',
  usage: `check [--project specdrive.yaml] [--profile FILE] [--format text|json|sarif|markdown] [--fail-on error|warning|info|never] [--engine wasm|ts]

  Verdict per operation: unchanged, adapted, attention (semantics changed), undecided (the solver
  could not settle it: budget or internal error), broken (with the minimal conflict). --fail-on error
  (alias broken, the default) fails on broken or undecided operations and unmet or undecided
  configurations; warning or info (alias attention) also on operations that need attention.
  ${engineUsage}`,
  examples: [
    'specdrive check',
    'specdrive check --profile software-specs/profiles/precise.yaml --format markdown',
    'specdrive check --format sarif > check.sarif',
  ],
  exitCodes: [
    '0  every operation binds and every configuration is met (or --fail-on never)',
    '1  a verdict at or above --fail-on, an undecided or unmet configuration, or no contract at all',
    '2  unusable input (unreadable or invalid specs, no revision), a solver that cannot run, or a usage error',
  ],
  options: {
    project: { type: 'string', default: 'specdrive.yaml' },
    profile: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'broken' },
    ...engineOptions,
  },
  async run(args, context) {
    const format = oneOf(args.values.format, ['text', 'json', 'sarif', 'markdown'] as const, '--format');
    const failOn = parseFailOn(args.values['fail-on'], VERDICT_SCALE);
    const { engine, problem } = chooseEngine(args.values.engine);
    if (problem) return emitDiagnostics([problem], context, { format: 'text', failOn: 'error', unusable: true });
    const projectFile = String(args.values.project);
    if (!existsSync(resolve(context.cwd, projectFile))) throw new UsageError(`no project file ${projectFile} (run specdrive init, or pass --project)`);
    const project = loadProject(projectFile, context.cwd);
    if (!project.value) return emitDiagnostics(project.diagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    const profileFiles = typeof args.values.profile === 'string' ? [args.values.profile] : project.value.profiles;
    const specs = loadSoftwareSpecs({ contracts: project.value.contracts, configs: project.value.configs, profiles: profileFiles }, context.cwd);
    const revisions = loadRevisions(project.value.boards, { limits: project.value.limits, cwd: context.cwd });
    const loadDiagnostics = [...project.diagnostics, ...specs.diagnostics, ...revisions.diagnostics];
    if (revisions.unusable || loadDiagnostics.some((d) => d.severity === 'error')) {
      return emitDiagnostics(loadDiagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    }
    // An empty project is a finding, not a silent pass: say what to add and where.
    if (project.value.contracts.length === 0) {
      emitDiagnostics(
        project.diagnostics.filter((d) => d.code === 'project/no-contracts'),
        context,
        { format: 'text', failOn: 'error' },
      );
      return failOn === 'never' ? EXIT_OK : EXIT_FINDINGS;
    }
    const result = runCheck({
      revisions: revisions.revisions,
      contracts: specs.contracts,
      configs: specs.configs,
      ...(specs.profiles[0] ? { profile: specs.profiles[0] } : {}),
      matchesFor: matchesBetween,
      engine,
    });
    if (format === 'sarif') context.stdout(diagnosticsToSarif(result.diagnostics));
    else if (format === 'json')
      context.stdout(
        JSON.stringify(
          { bindings: JSON.parse(bindingsToJson(result.bindings)).bindings, configurations: result.configurations, diagnostics: result.diagnostics },
          null,
          2,
        ) + '\n',
      );
    else if (format === 'markdown') context.stdout(bindingsToMarkdown(result.bindings) + '\n' + configurationsToMarkdown(result.configurations));
    else {
      // Text for a terminal: driver, operation and register names quote the project's files.
      context.stdout(terminalText(bindingsToText(result.bindings) + '\n' + configurationsToText(result.configurations)));
      const problems = result.diagnostics.filter(
        (d) => d.code.startsWith('configure/') || d.code.startsWith('bind/unknown') || (d.severity === 'error' && !d.code.startsWith('bind/broken')),
      );
      if (problems.length) emitDiagnostics(problems, context, { format: 'text', failOn: 'error' });
    }
    if (failOn === 'never') return EXIT_OK;
    const threshold = failOn === 'attention' ? verdictRank.attention : failingRank;
    const failing =
      result.bindings.some((b) => verdictRank[b.verdict] >= threshold) ||
      result.configurations.some((c) => c.unsatisfiable.length > 0 || c.undecided.length > 0) ||
      result.diagnostics.some((d) => d.severity === 'error' && !d.code.startsWith('bind/broken'));
    return failing ? EXIT_FINDINGS : EXIT_OK;
  },
};
