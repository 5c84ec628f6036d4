import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../write-file.ts';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../command.ts';
import { renderDiagnostics } from '../../diagnostics/render.ts';
import { fileSpan } from '../../diagnostics/source-text.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { hasErrors } from '../../diagnostics/types.ts';
import { importFile } from '../../importers/index.ts';
import { validateDevice } from '../../validate/index.ts';
import { importCliOptions, importOptionsFrom } from '../import-options.ts';
import { fileSourceLookup } from '../sources.ts';
import { CHANGE_SCALE, oneOf, parseFailOn, type Format } from '../vocabulary.ts';
import {
  applyPolicy,
  defaultPolicy,
  diffDevices,
  loadPolicy,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderSarif,
  renderText,
  type ChangeSeverity,
  type DiffReport,
  type InputValidity,
  type Policy,
} from '../../diff/index.ts';

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const satisfies readonly Format[];
type DiffFormat = (typeof FORMATS)[number];

function parseDiffFailOn(value: unknown): ChangeSeverity | undefined {
  if (value === undefined) return undefined;
  const chosen = parseFailOn(value, CHANGE_SCALE);
  return chosen === 'never' ? undefined : chosen;
}

function render(format: DiffFormat, report: DiffReport, policy: Policy, color: boolean, options: { verbose: boolean; fullReport?: string }): string {
  switch (format) {
    case 'text':
      return renderText(report, { color, verbose: options.verbose });
    case 'markdown':
      return renderMarkdown(report, { verbose: options.verbose, ...(options.fullReport ? { fullReport: options.fullReport } : {}) });
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, policy);
    case 'html':
      return renderHtml(report);
  }
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'semantic diff of two hardware revisions: renames, moves, access and reset changes, graded by policy',
  usage: `diff BEFORE AFTER [--format text|json|sarif|markdown|html] [--policy FILE] [--fail-on error|warning|info|never] [-o FILE] [--strict] [--max-bytes N] [--max-nodes N] [--max-dim N] [--max-depth N]

  BEFORE and AFTER are hardware specs in any supported format (native YAML, SVD, chiptool, ...).
  --policy   a specdrive/diff-policy@1 YAML file: severities per rule id, waivers by path glob
  --fail-on  exit 1 when an unwaived change is at least this severe: error = breaking,
             warning = behavioural, info = any change; the change severities themselves
             (breaking, behavioural, compatible, documentation) are accepted too; default: never
  -o FILE    write the report to FILE (atomically) instead of standard output
  --verbose  text and Markdown: list every instance of a grouped change and every wording change
  --full-report WHERE  Markdown: where the full report is, named when the comment leaves changes out
  --strict   refuse an input that is not a valid register map (exit 2, its errors listed)
  Both inputs are validated first. By default an input with validation errors (common in vendor
  SVDs) is compared as written, and stderr and every report format say which input is invalid.
  Exit 0 when clean, 1 when --fail-on is reached, 2 when an input cannot be used.`,
  examples: [
    'specdrive diff hardware-specs/b/rev-a.yaml hardware-specs/b/rev-b.yaml',
    'specdrive diff old.svd new.svd --format html -o diff.html',
    'specdrive diff old.svd new.svd --fail-on error --policy diff-policy.yaml',
  ],
  options: {
    ...importCliOptions,
    format: { type: 'string', default: 'text' },
    policy: { type: 'string' },
    'fail-on': { type: 'string' },
    output: { type: 'string', short: 'o' },
    verbose: { type: 'boolean', default: false },
    'full-report': { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
  async run(args, context) {
    if (args.positionals.length !== 2) throw new UsageError('diff needs exactly two spec files: BEFORE AFTER');
    const format = oneOf(args.values.format, FORMATS, '--format');
    const failOn = parseDiffFailOn(args.values['fail-on']);
    const [beforeFile, afterFile] = args.positionals.map((p) => resolve(context.cwd, p)) as [string, string];
    const diagnostics: Diagnostic[] = [];
    let policy: Policy = defaultPolicy;
    if (typeof args.values.policy === 'string') {
      const policyFile = resolve(context.cwd, args.values.policy);
      let text: string | undefined;
      try {
        text = readFileSync(policyFile, 'utf8');
      } catch (error) {
        diagnostics.push({
          code: 'policy/unreadable',
          severity: 'error',
          message: `cannot read ${policyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          span: fileSpan(policyFile),
        });
      }
      if (text !== undefined) {
        const loaded = loadPolicy(text, policyFile);
        diagnostics.push(...loaded.diagnostics);
        if (loaded.value) policy = loaded.value;
      }
    }
    const importOptions = importOptionsFrom(args.values, context.cwd);
    const before = importFile(beforeFile, importOptions);
    const after = importFile(afterFile, importOptions);
    diagnostics.push(...before.diagnostics, ...after.diagnostics);
    // Vendor files are often not valid register maps (undeclared register aliases, over-wide resets,
    // overlapping vendor peripherals) yet still compare meaningfully: the diff runs on them as written
    // and every report says which input is invalid. --strict refuses them instead (exit 2, errors listed).
    const strict = Boolean(args.values.strict);
    const invalid: { beforeInvalid?: InputValidity; afterInvalid?: InputValidity } = {};
    for (const [side, file, imported] of [
      ['BEFORE', beforeFile, before],
      ['AFTER', afterFile, after],
    ] as const) {
      if (!imported.value) continue;
      const found = validateDevice(imported.value);
      const errors = found.filter((d) => d.severity === 'error');
      const warnings = found.filter((d) => d.severity === 'warning').length;
      if (errors.length > 0) {
        if (strict) diagnostics.push(...errors);
        invalid[side === 'BEFORE' ? 'beforeInvalid' : 'afterInvalid'] = { errors: errors.length, codes: [...new Set(errors.map((d) => d.code))].sort() };
        context.stderr(
          strict
            ? `specdrive diff: ${side} (${file}) is not a valid register map: ${errors.length} validation error(s), listed below\n`
            : `specdrive diff: ${side} (${file}) is not a valid register map: ${errors.length} validation error(s); compared as written (\`specdrive validate\` lists them, --strict refuses the input)\n`,
        );
      }
      if (warnings > 0) context.stderr(`specdrive diff: ${side} (${file}) has ${warnings} validation warning(s); \`specdrive validate\` lists them\n`);
    }
    const lookup = fileSourceLookup(context.cwd);
    if (!before.value || !after.value || hasErrors(diagnostics)) {
      context.stderr(renderDiagnostics(diagnostics, lookup, context.color) + '\n');
      return EXIT_USAGE;
    }
    const diffed = diffDevices(before.value, after.value, { beforeFile: args.positionals[0]!, afterFile: args.positionals[1]!, ...invalid });
    diagnostics.push(...diffed.diagnostics);
    const shown = diagnostics.filter((d) => d.severity !== 'info' || format === 'text');
    if (shown.length > 0) context.stderr(renderDiagnostics(shown, lookup, context.color) + '\n');
    if (!diffed.value) return EXIT_USAGE;
    const report = applyPolicy(diffed.value, policy, failOn);
    const fullReport = typeof args.values['full-report'] === 'string' ? args.values['full-report'] : undefined;
    const output = render(format, report, policy, context.color && format === 'text' && typeof args.values.output !== 'string', {
      verbose: Boolean(args.values.verbose),
      ...(fullReport ? { fullReport } : {}),
    });
    if (typeof args.values.output === 'string') {
      const target = resolve(context.cwd, args.values.output);
      try {
        writeFileAtomic(target, output);
      } catch (error) {
        context.stderr(`specdrive diff: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
        return EXIT_USAGE;
      }
      if (format !== 'text') context.stderr(`wrote ${target}\n`);
    } else context.stdout(output);
    return report.failed ? EXIT_FINDINGS : EXIT_OK;
  },
};
