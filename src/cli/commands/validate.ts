import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { diagnosticOptions, emitDiagnostics, parseSeverity } from '../report-diagnostics.ts';
import { loadAndValidate } from '../../pipeline/load-spec.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check hardware specs (any supported format) and report located diagnostics',
  usage: `validate SPEC... [-I DIR]... [--format text|json] [--fail-on error|warning|info] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Exit 0 when clean, 1 when a finding reaches --fail-on (default error), 2 when a file cannot be used.`,
  options: { ...diagnosticOptions, ...importCliOptions },
  async run(args, context) {
    if (args.positionals.length === 0) throw new UsageError('validate needs at least one spec file');
    const failOn = parseSeverity(args.values['fail-on']);
    const all: Diagnostic[] = [];
    let unusable = false;
    for (const file of args.positionals) {
      const loaded = loadAndValidate(file, importOptionsFrom(args.values));
      all.push(...loaded.diagnostics);
      unusable ||= loaded.unusable;
    }
    const code = emitDiagnostics(all, context, { format: args.values.format, failOn, unusable });
    if (args.values.format !== 'json' && all.length === 0) context.stderr(`ok: ${args.positionals.length} spec(s) valid\n`);
    return code;
  },
};
