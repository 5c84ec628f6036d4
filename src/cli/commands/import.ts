import { resolve } from 'node:path';
import { writeFileAtomic } from '../write-file.ts';
import type { Command } from '../command.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';
import { EXIT_USAGE, UsageError } from '../command.ts';
import { diagnosticOptions, emitDiagnostics, parseDiagnosticFormat, parseSeverity } from '../report-diagnostics.ts';
import { oneOf } from '../vocabulary.ts';
import { importFile } from '../../importers/index.ts';
import { exportDevice, exportFormatFor, type ExportFormat } from '../../exporters/index.ts';
import { hasErrors, type Diagnostic } from '../../diagnostics/types.ts';
import { validateDevice } from '../../validate/index.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'convert a register map (SVD, IP-XACT, native YAML, …) to native YAML or CMSIS-SVD',
  usage: `import FILE -o OUT [--to yaml|svd] [--format text|json|sarif] [--fail-on error|warning|info|never] [--force] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  FILE may be gzipped (.gz), or an svdtools patch (YAML with _svd:), which is applied to the SVD
  it names first (docs/svd-patches.md). The output format comes from --to, else from OUT's extension
  (.yaml/.yml → yaml, .svd → svd). Nothing is written when the input has errors, import or
  validation ones (as \`specdrive validate\` finds them); --force writes despite validation errors,
  and says so.`,
  examples: ['specdrive import chip.svd -o hardware-specs/my-board/rev-a.yaml', 'specdrive import top.hjson -o chip.svd --to svd'],
  options: { ...diagnosticOptions, ...importCliOptions, output: { type: 'string', short: 'o' }, to: { type: 'string' }, force: { type: 'boolean' } },
  async run(args, context) {
    const [input, ...extra] = args.positionals;
    if (input === undefined || extra.length > 0) throw new UsageError('import needs exactly one input file');
    const output = args.values.output;
    if (typeof output !== 'string' || output === '') throw new UsageError('import needs -o OUT');
    const to = args.values.to;
    if (to !== undefined) oneOf(to, ['yaml', 'svd'] as const, '--to');
    parseDiagnosticFormat(args.values.format);
    const format: ExportFormat | undefined = (to as ExportFormat | undefined) ?? exportFormatFor(output);
    if (!format) throw new UsageError(`cannot tell the output format from ${output}; use --to yaml or --to svd`);
    const failOn = parseSeverity(args.values['fail-on']);
    const imported = importFile(resolve(context.cwd, input), importOptionsFrom(args.values, context.cwd));
    const diagnostics: Diagnostic[] = [...imported.diagnostics];
    if (!imported.value || hasErrors(diagnostics)) {
      return emitDiagnostics(diagnostics, context, { format: args.values.format, failOn, unusable: true });
    }
    // A spec `validate` refuses is not converted either: the output would carry the same errors.
    const validation = validateDevice(imported.value);
    diagnostics.push(...validation);
    const forced = args.values.force === true && hasErrors(validation);
    if (hasErrors(validation) && !forced) {
      context.stderr(`specdrive import: nothing written: ${input} does not validate (--force writes it anyway)\n`);
      return emitDiagnostics(diagnostics, context, { format: args.values.format, failOn });
    }
    const exported = exportDevice(imported.value, format);
    diagnostics.push(...exported.diagnostics);
    if (exported.value === undefined || hasErrors(exported.diagnostics)) {
      return emitDiagnostics(diagnostics, context, { format: args.values.format, failOn, unusable: true });
    }
    try {
      writeFileAtomic(resolve(context.cwd, output), exported.value);
    } catch (error) {
      context.stderr(`specdrive import: cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const code = emitDiagnostics(diagnostics, context, { format: args.values.format, failOn });
    if (args.values.format === 'text')
      context.stderr(`wrote ${output} (${format}, ${imported.value.peripherals.length} peripherals)${forced ? ' despite validation errors (--force)' : ''}\n`);
    return code;
  },
};
