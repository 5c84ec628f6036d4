import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { diagnosticOptions, emitDiagnostics, parseDiagnosticFormat, parseSeverity } from '../report-diagnostics.ts';
import { loadAndValidate } from '../../pipeline/load-spec.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check hardware specs (any supported format) and report located diagnostics',
  usage: `validate SPEC... [-I DIR]... [--format text|json|sarif] [--fail-on error|warning|info|never] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Exit 0 when clean, 1 when a finding reaches --fail-on (default error), 2 when a file cannot be used.`,
  examples: [
    'specdrive validate hardware-specs/my-board/rev-a.yaml',
    'specdrive validate chip.svd.gz --format sarif > validate.sarif',
    'specdrive validate top.rdl -I rdl/include --fail-on warning',
  ],
  options: { ...diagnosticOptions, ...importCliOptions },
  async run(args, context) {
    if (args.positionals.length === 0) throw new UsageError('validate needs at least one spec file');
    const failOn = parseSeverity(args.values['fail-on']);
    const format = parseDiagnosticFormat(args.values.format);
    const all: Diagnostic[] = [];
    let unusable = false;
    for (const file of args.positionals) {
      const loaded = await loadAndValidate(file, importOptionsFrom(args.values, context.cwd));
      all.push(...loaded.diagnostics);
      unusable ||= loaded.unusable;
    }
    const code = emitDiagnostics(all, context, { format, failOn, unusable });
    if (format === 'text' && all.length === 0) context.stderr(`ok: ${args.positionals.length} spec(s) valid\n`);
    return code;
  },
};
