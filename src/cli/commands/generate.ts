import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../command.ts';
import { emitDiagnostics, parseDiagnosticFormat } from '../report-diagnostics.ts';
import { createProgress, quietOption } from '../progress.ts';
import { canonicalTarget, TARGETS } from '../vocabulary.ts';
import { suggest } from '../../diagnostics/suggest.ts';
import { observePeripherals } from '../../../generators/framework/progress.ts';
import { loadAndValidate } from '../../pipeline/load-spec.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import { hasErrors } from '../../diagnostics/types.ts';
import { appendUnique } from '../../diagnostics/collector.ts';
import {
  buildGeneratorModel,
  checkOutput,
  generatorFor,
  generators,
  inputsHash,
  isUpToDate,
  renderInto,
  startStage,
  type OpenStage,
  type OutputFile,
  type PiecewiseFile,
  type ListedPieces,
  type GenOperation,
  type StagedOutput,
} from '../../../generators/index.ts';
import type { AnyGenerator } from '../../../generators/framework/types.ts';
import { existsSync } from 'node:fs';
import { chooseEngine, engineOptions, engineUsage } from '../engine-option.ts';
import { contractFiles, contractOperations } from '../../pipeline/contract-operations.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate C, TypeScript, Python, docs or SVD from a hardware spec',
  usage: `generate SPEC --target c|typescript|python|docs|svd|all[,...] [-o DIR] [--contracts PATH] [--reference SPEC] [--engine wasm|ts] [--check] [--format text|json|sarif] [--quiet] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  Writes each target into DIR/<generator> (default DIR: generated). --target takes one name, a
  comma-separated list or all; ts and typescript (py and python) name the same target. Nothing is
  written when any target has an error; unchanged inputs are skipped. --check writes nothing and
  exits 1 when the files in DIR are out of date (for CI). Progress (per peripheral, per target) goes
  to standard error: a status line on a terminal, plain lines otherwise, nothing with --quiet.
  --contracts PATH adds the operations of driver contracts (a *.driver.yaml file, or a folder of
  them) bound to this spec: parameters checked before any write, solved tables, typed enums.
  --reference SPEC is the revision the contracts were written for: renamed or moved fields are
  then followed through the diff (without it, a contract binds by field path only).
  ${engineUsage}`,
  examples: [
    'specdrive generate hardware-specs/my-board/rev-a.yaml --target ts',
    'specdrive generate chip.svd --target c,python -o sdk',
    'specdrive generate chip.svd --target all --check',
    'specdrive generate rev-b.yaml --target c --contracts software-specs/contracts --reference rev-a.yaml',
  ],
  exitCodes: [
    '0  written (or up to date)',
    '1  --check found generated files out of date',
    '2  unusable input, a generator error (nothing written), a solver that cannot run, or a usage error',
  ],
  options: {
    ...importCliOptions,
    target: { type: 'string', short: 't' },
    out: { type: 'string', short: 'o', default: 'generated' },
    check: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    ...quietOption,
    contracts: { type: 'string' },
    reference: { type: 'string' },
    ...engineOptions,
  },
  async run(args, context) {
    const [spec, ...rest] = args.positionals;
    if (spec === undefined || rest.length > 0) throw new UsageError('generate needs exactly one spec file');
    const target = args.values.target;
    if (typeof target !== 'string') throw new UsageError(`--target is required: ${TARGETS.join(', ')} or all`);
    const chosen = chosenGenerators(target);
    const format = parseDiagnosticFormat(args.values.format);
    const progress = createProgress(context, args.values.quiet === true || format !== 'text');
    const outRoot = resolve(context.cwd, String(args.values.out));
    const check = args.values.check === true;

    const loaded = await loadAndValidate(resolve(context.cwd, spec), importOptionsFrom(args.values, context.cwd));
    if (!loaded.device || loaded.unusable || hasErrors(loaded.diagnostics)) {
      return emitDiagnostics(loaded.diagnostics, context, { format, failOn: 'error', unusable: true });
    }
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    let operations: GenOperation[] | undefined;
    if (typeof args.values.contracts === 'string') {
      const { engine, problem } = chooseEngine(args.values.engine);
      if (problem) return emitDiagnostics([problem], context, { format, failOn: 'error', unusable: true });
      const where = resolve(context.cwd, args.values.contracts);
      if (!existsSync(where)) throw new UsageError(`--contracts: no such file or folder ${args.values.contracts}`);
      let reference: Device | undefined;
      if (typeof args.values.reference === 'string') {
        const ref = await loadAndValidate(resolve(context.cwd, args.values.reference));
        if (!ref.device || ref.unusable || hasErrors(ref.diagnostics))
          return emitDiagnostics(ref.diagnostics, context, { format, failOn: 'error', unusable: true });
        reference = ref.device;
      }
      const lowered = contractOperations(loaded.device, contractFiles(where), engine, reference);
      diagnostics.push(...lowered.diagnostics);
      operations = lowered.value;
    }
    const model = buildGeneratorModel(loaded.device, operations ? { operations, genericOperations: true } : {});
    // Each file is staged beside its target's folder as soon as the generator makes it, so no target's
    // text is held (N657 --target all: docs/performance.md); any error means every staged target is
    // discarded and nothing at all is written. Discarded last to first: the first stage made the folders.
    const rendered: { generator: AnyGenerator; dir: string; files?: readonly OutputFile[]; staged?: StagedOutput | OpenStage; upToDate?: true }[] = [];
    const discardStaged = (): void => {
      for (const r of [...rendered].reverse()) r.staged?.discard();
    };
    try {
      for (const generator of chosen) {
        const dir = join(outRoot, generator.name);
        const hash = inputsHash(generator, model, generator.configSchema.parse({}));
        if (!check && isUpToDate(dir, hash)) {
          rendered.push({ generator, dir, upToDate: true });
          continue;
        }
        // After an error nothing will be written: the rest is only rendered for its diagnostics.
        const stage = !check && !hasErrors(diagnostics) ? startStage(dir, generator.name) : undefined;
        const target: (typeof rendered)[number] = { generator, dir, ...(stage ? { staged: stage } : {}) };
        rendered.push(target);
        const files: ListedPieces[] = [];
        let count = 0;
        // Each file's pieces are iterated here, once (they may be made as they are asked for).
        const take = (file: PiecewiseFile): void => {
          count++;
          if (stage) stage.add(file);
          else if (check) files.push({ path: file.path, pieces: [...file.pieces] });
          else for (const pieces = file.pieces[Symbol.iterator](); !pieces.next().done; ); // made for their diagnostics only
        };
        const result = observePeripherals(
          (e) => progress.update(`${generator.name}: peripheral ${e.index}/${e.total} ${e.peripheral}`),
          () => renderInto(generator, model, {}, take),
        );
        progress.update(`${generator.name}: rendered ${result.ok ? count : 0} file(s)`);
        appendUnique(diagnostics, result.diagnostics);
        if (!result.ok || hasErrors(diagnostics)) continue;
        if (stage) target.staged = stage.finish(hash);
        else if (check) target.files = files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      }
    } catch (error) {
      discardStaged();
      throw error;
    }
    progress.end();
    if (hasErrors(diagnostics)) {
      discardStaged();
      emitDiagnostics(diagnostics, context, { format, failOn: 'error' });
      context.stderr('nothing written: fix the errors above\n');
      return EXIT_USAGE;
    }
    const code = emitDiagnostics(diagnostics, context, { format, failOn: 'error' });
    let stale = false;
    for (const { generator, dir, files, staged, upToDate } of rendered) {
      if (upToDate) {
        progress.step(`${generator.name}: up to date (${dir})`);
        continue;
      }
      if (check && files) {
        const report = checkOutput(dir, files);
        const problems = [
          ...report.outOfDate.map((f) => `out of date: ${f}`),
          ...report.missing.map((f) => `missing: ${f}`),
          ...report.extra.map((f) => `no longer generated: ${f}`),
        ];
        stale ||= problems.length > 0;
        context.stderr(
          problems.length === 0
            ? `${generator.name}: up to date\n`
            : `${generator.name}: ${problems.length} file(s) differ in ${dir}\n  ${problems.join('\n  ')}\n`,
        );
        continue;
      }
      if (!staged || !('commit' in staged)) continue;
      const report = staged.commit();
      progress.step(`${generator.name}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed → ${dir}`);
    }
    if (stale) return EXIT_FINDINGS;
    return code === EXIT_OK ? EXIT_OK : code;
  },
};

/** The generator of each name in a `--target` list (aliases accepted), or a usage error with the closest name. */
export function chosenGenerators(list: string): AnyGenerator[] {
  if (list === 'all') return [...generators];
  const chosen: AnyGenerator[] = [];
  for (const name of list.split(',').map((n) => n.trim())) {
    const canonical = canonicalTarget(name);
    const generator = canonical ? generatorFor(canonical === 'typescript' ? 'ts' : canonical) : undefined;
    if (!generator) {
      const near = suggest(name, [...TARGETS, 'ts', 'all']);
      throw new UsageError(`unknown target ${name}; known: ${TARGETS.join(', ')} (ts is typescript), all${near ? `; did you mean ${near}?` : ''}`);
    }
    if (!chosen.includes(generator)) chosen.push(generator);
  }
  return chosen;
}
