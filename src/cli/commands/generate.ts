import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { loadAndValidate } from '../../pipeline/load-spec.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { hasErrors } from '../../diagnostics/types.ts';
import { buildGeneratorModel, checkOutput, generators, inputsHash, isUpToDate, renderTarget, writeOutput } from '../../../generators/index.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate C, TypeScript, Python, docs or SVD from a hardware spec',
  usage: `generate SPEC --target c|ts|python|docs|svd|all [-o DIR] [--check] [--format text|json] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Writes each target into DIR/<target> (default DIR: generated). Nothing is written when any
  target has an error; unchanged inputs are skipped. --check writes nothing and exits 1 when the
  files in DIR are out of date (for CI).`,
  options: {
    ...importCliOptions,
    target: { type: 'string', short: 't' },
    out: { type: 'string', short: 'o', default: 'generated' },
    check: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
  },
  async run(args, context) {
    const [spec, ...rest] = args.positionals;
    if (spec === undefined || rest.length > 0) throw new UsageError('generate needs exactly one spec file');
    const target = args.values.target;
    if (typeof target !== 'string') throw new UsageError(`--target is required: ${generators.map((g) => g.name).join(', ')} or all`);
    const chosen = target === 'all' ? generators : generators.filter((g) => g.name === target);
    if (chosen.length === 0) throw new UsageError(`unknown target ${target}; known: ${generators.map((g) => g.name).join(', ')}, all`);
    const outRoot = resolve(context.cwd, String(args.values.out));
    const check = args.values.check === true;

    const loaded = loadAndValidate(resolve(context.cwd, spec), importOptionsFrom(args.values));
    if (!loaded.device || loaded.unusable || hasErrors(loaded.diagnostics)) {
      return emitDiagnostics(loaded.diagnostics, context, { format: args.values.format, failOn: 'error', unusable: true });
    }
    const model = buildGeneratorModel(loaded.device);
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    // Render every target first: any error means nothing at all is written.
    const rendered = [];
    for (const generator of chosen) {
      const dir = join(outRoot, generator.name);
      const hash = inputsHash(generator, model, generator.configSchema.parse({}));
      if (!check && isUpToDate(dir, hash)) {
        rendered.push({ generator, dir, hash, files: undefined });
        continue;
      }
      const result = renderTarget(generator, model, {});
      diagnostics.push(...result.diagnostics);
      rendered.push({ generator, dir, hash, files: result.value });
    }
    if (hasErrors(diagnostics)) {
      emitDiagnostics(diagnostics, context, { format: args.values.format, failOn: 'error' });
      context.stderr('nothing written: fix the errors above\n');
      return EXIT_USAGE;
    }
    const code = emitDiagnostics(diagnostics, context, { format: args.values.format, failOn: 'error' });
    let stale = false;
    for (const { generator, dir, hash, files } of rendered) {
      if (files === undefined) {
        context.stderr(`${generator.name}: up to date (${dir})\n`);
        continue;
      }
      if (check) {
        const report = checkOutput(dir, files);
        const problems = [...report.outOfDate.map((f) => `out of date: ${f}`), ...report.missing.map((f) => `missing: ${f}`), ...report.extra.map((f) => `no longer generated: ${f}`)];
        stale ||= problems.length > 0;
        context.stderr(problems.length === 0 ? `${generator.name}: up to date\n` : `${generator.name}: ${problems.length} file(s) differ in ${dir}\n  ${problems.join('\n  ')}\n`);
        continue;
      }
      const report = writeOutput(dir, generator.name, hash, files);
      context.stderr(`${generator.name}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed → ${dir}\n`);
    }
    if (stale) return EXIT_FINDINGS;
    return code === EXIT_OK ? EXIT_OK : code;
  },
};
