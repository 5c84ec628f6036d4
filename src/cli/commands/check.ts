import { existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { loadProject } from '../../project/index.ts';
import { loadSoftwareSpecs } from '../../pipeline/load-software-specs.ts';
import { loadRevisions } from '../../pipeline/load-revisions.ts';
import { runCheck } from '../../pipeline/check.ts';
import { matchesBetween } from '../../pipeline/matches.ts';
import { bindingsToJson, bindingsToMarkdown, bindingsToText, verdictRank } from '../../bind/index.ts';
import { configurationsToMarkdown, configurationsToText } from '../../configure/index.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'bind driver contracts to every revision and solve configurations under a profile',
  usage: `check [--project specdrive.yaml] [--profile FILE] [--format text|markdown|json] [--fail-on broken|attention|never]

  Verdict per operation: unchanged, adapted, attention (semantics changed), broken (with the minimal
  conflict). Exit 1 when a verdict reaches --fail-on or a configuration cannot be met, 2 on unusable input.`,
  options: {
    project: { type: 'string', default: 'specdrive.yaml' },
    profile: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'broken' },
    engine: { type: 'string', default: 'wasm' },
  },
  async run(args, context) {
    const format = String(args.values.format);
    if (!['text', 'markdown', 'json'].includes(format)) throw new UsageError(`--format must be text, markdown or json`);
    const failOn = String(args.values['fail-on']);
    if (!['broken', 'attention', 'never'].includes(failOn)) throw new UsageError('--fail-on must be broken, attention or never');
    const engine = args.values.engine === 'ts' ? 'ts' : 'wasm';
    const projectFile = String(args.values.project);
    if (!existsSync(projectFile)) throw new UsageError(`no project file ${projectFile} (run specdrive init, or pass --project)`);
    const project = loadProject(projectFile);
    if (!project.value) return emitDiagnostics(project.diagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    const profileFiles = typeof args.values.profile === 'string' ? [args.values.profile] : project.value.profiles;
    const specs = loadSoftwareSpecs({ contracts: project.value.contracts, configs: project.value.configs, profiles: profileFiles });
    const revisions = loadRevisions(project.value.boards, { limits: project.value.limits });
    const loadDiagnostics = [...project.diagnostics, ...specs.diagnostics, ...revisions.diagnostics];
    if (revisions.unusable || loadDiagnostics.some((d) => d.severity === 'error')) {
      return emitDiagnostics(loadDiagnostics, context, { format: 'text', failOn: 'error', unusable: true });
    }
    const result = runCheck({
      revisions: revisions.revisions,
      contracts: specs.contracts,
      configs: specs.configs,
      ...(specs.profiles[0] ? { profile: specs.profiles[0] } : {}),
      matchesFor: matchesBetween,
      engine,
    });
    if (format === 'json') context.stdout(JSON.stringify({ bindings: JSON.parse(bindingsToJson(result.bindings)).bindings, configurations: result.configurations, diagnostics: result.diagnostics }, null, 2) + '\n');
    else if (format === 'markdown') context.stdout(bindingsToMarkdown(result.bindings) + '\n' + configurationsToMarkdown(result.configurations));
    else {
      context.stdout(bindingsToText(result.bindings) + '\n' + configurationsToText(result.configurations));
      const problems = result.diagnostics.filter((d) => d.code.startsWith('configure/') || d.code.startsWith('bind/unknown'));
      if (problems.length) emitDiagnostics(problems, context, { format: 'text', failOn: 'error' });
    }
    if (failOn === 'never') return EXIT_OK;
    const threshold = verdictRank[failOn === 'attention' ? 'attention' : 'broken'];
    const failing = result.bindings.some((b) => verdictRank[b.verdict] >= threshold) || result.configurations.some((c) => c.unsatisfiable.length > 0) || result.diagnostics.some((d) => d.code.startsWith('configure/') && d.severity === 'error');
    return failing ? EXIT_FINDINGS : EXIT_OK;
  },
};


