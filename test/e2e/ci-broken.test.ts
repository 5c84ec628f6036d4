import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ciExitCode } from '../../src/pipeline/ci.ts';
import type { CiReport } from '../../src/pipeline/ci-types.ts';
import type { SourceSpan } from '../../src/ir/types.ts';
import { copyDemoProject, describeRun, readJsonReport, removeProject, revisionOf, runSpecdrive, textAtSpan, type CliRun } from './helpers/project-copy.ts';

/**
 * Issue 10, "a revision that breaks a contract makes `specdrive ci` exit non-zero with the broken
 * operation, the minimal conflict and both spans in every output format". The demo's rev-c drops
 * UART0.CTRL.LOOPBACK, which the uart contract's `set_loopback` needs. One cold run fills the
 * cache; the format runs after it reuse it, so they cost no compiling.
 */

const OPERATION = 'set_loopback';
const loc = (s: SourceSpan): string => `${s.file}:${s.line}:${s.column}`;

let project: string;
let text: CliRun;
let report: CiReport;
/** The conflict as the JSON report states it; every other format must say the same. */
let conflict: { requirement: string; contractSpan: SourceSpan; hardwareSpan: SourceSpan };

beforeAll(async () => {
  // c and docs: one compiled target is enough to exercise the exit policy; the browser test covers all.
  project = copyDemoProject({ targets: ['c', 'docs'], prefix: 'specdrive-broken-' });
  text = await runSpecdrive(['ci'], project);
  report = readJsonReport(project);
  const op = revisionOf(report, 'rev-c')
    .bindings.flatMap((b) => b.operations)
    .find((o) => o.operation === OPERATION);
  if (!op) throw new Error(`no ${OPERATION} in rev-c's bindings`);
  expect(op.verdict).toBe('broken');
  // Minimal: one missing field is the whole reason, so exactly one conflicting requirement.
  expect(op.conflicts).toHaveLength(1);
  const c = op.conflicts[0]!;
  if (!c.hardwareSpan) throw new Error('the conflict has no hardware span');
  conflict = { requirement: c.requirement, contractSpan: c.contractSpan, hardwareSpan: c.hardwareSpan };
}, 240_000);

afterAll(() => removeProject(project));

describe('a revision that breaks a contract', () => {
  it('the conflict spans land on the contract role and on the hardware field', () => {
    expect(conflict.requirement).toBe('role:loopback:present');
    expect(conflict.contractSpan.file).toBe('software-specs/uart.driver.yaml');
    expect(textAtSpan(project, conflict.contractSpan)).toMatch(/^loopback:/);
    expect(conflict.hardwareSpan.file).toMatch(/^hardware-specs\/demo-board\/rev-[ab]\.yaml$/);
    expect(textAtSpan(project, conflict.hardwareSpan)).toMatch(/^LOOPBACK:/);
  });

  it('text: exits 1 and the log names the operation, the requirement and both spans', () => {
    expect(text.code, describeRun(text)).toBe(1);
    const block = text.stderr.split('\n\n').find((b) => b.includes(`uart.${OPERATION} on demo-board rev-c`));
    expect(block, text.stderr).toBeDefined();
    expect(block).toContain(`${loc(conflict.contractSpan)}: error[bind/broken-operation]`);
    expect(block).toContain(`note: ${loc(conflict.contractSpan)}: requirement ${conflict.requirement}`);
    expect(block).toContain(`note: ${loc(conflict.hardwareSpan)}: hardware side of ${conflict.requirement}`);
    expect(text.stdout).toMatch(/operations: [1-9]\d* broken/);
    // Each broken operation on its own line with a one-line reason, not only a count.
    expect(text.stdout).toMatch(new RegExp(`✗ demo-board rev-c: uart\\.${OPERATION} is broken — \\S`));
  });

  it('html: the report starts with a needs-action list linking to the broken operation and each breaking change', () => {
    const page = readFileSync(join(project, 'out/report/index.html'), 'utf8');
    const section = page.slice(page.indexOf('<section class="needs-action">'), page.indexOf('</section>', page.indexOf('<section class="needs-action">')));
    expect(page.indexOf('<section class="needs-action">')).toBeLessThan(page.indexOf('<section class="revision"'));
    const link = section.match(new RegExp(`<a href="#(op-[0-9-]+)">demo-board rev-c: uart\\.${OPERATION} is broken</a>`));
    expect(link, section).not.toBeNull();
    expect(page).toContain(`<tr id="${link![1]}">`);
    const breaking = revisionOf(report, 'rev-c').diff?.changes.filter((c) => c.severity === 'breaking') ?? [];
    expect(breaking.length).toBeGreaterThan(0);
    for (const c of breaking) expect(section).toContain(c.rule);
  });

  it('markdown: exits 1 and the table row has the verdict, requirement and both spans', async () => {
    const run = await runSpecdrive(['ci', '--format', 'markdown'], project);
    expect(run.code, describeRun(run)).toBe(1);
    const section = run.stdout.slice(run.stdout.indexOf('### demo-board rev-c'));
    const row = section.split('\n').find((l) => l.startsWith('| uart | set\\_loopback |'));
    expect(row, section).toBeDefined();
    expect(row).toContain('| broken |');
    expect(row).toContain(`conflict role:loopback:present: contract ${loc(conflict.contractSpan)}, hardware ${loc(conflict.hardwareSpan)}`);
    // What was printed is what was written for the pull-request comment.
    expect(readFileSync(join(project, 'out/report/report.md'), 'utf8')).toBe(run.stdout);
  });

  it('json: exits 1 and carries the verdict, the conflict and both spans', async () => {
    const run = await runSpecdrive(['ci', '--format', 'json'], project);
    expect(run.code, describeRun(run)).toBe(1);
    const printed = JSON.parse(run.stdout) as CiReport;
    const op = revisionOf(printed, 'rev-c')
      .bindings.flatMap((b) => b.operations)
      .find((o) => o.operation === OPERATION);
    expect(op?.verdict).toBe('broken');
    expect(op?.conflicts).toEqual([
      expect.objectContaining({ requirement: conflict.requirement, contractSpan: conflict.contractSpan, hardwareSpan: conflict.hardwareSpan }),
    ]);
    expect(printed.summary.broken).toBeGreaterThan(0);
  });

  it('sarif: a SARIF 2.1.0 log whose result has the contract location and the hardware related location', async () => {
    const run = await runSpecdrive(['ci', '--format', 'sarif'], project);
    expect(run.code, describeRun(run)).toBe(1);
    const log = JSON.parse(run.stdout) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: { ruleId: string; level: string; message: { text: string }; locations?: Loc[]; relatedLocations?: (Loc & { id: number })[] }[];
      }[];
    };
    type Loc = {
      physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const [sarifRun] = log.runs;
    expect(sarifRun!.tool.driver.name).toBe('specdrive');
    const ruleIds = new Set(sarifRun!.tool.driver.rules.map((r) => r.id));
    for (const r of sarifRun!.results) expect(ruleIds.has(r.ruleId)).toBe(true);
    const result = sarifRun!.results.find((r) => r.ruleId === 'bind/broken-operation' && r.message.text.includes(`uart.${OPERATION} on demo-board rev-c`));
    expect(result, run.stdout.slice(0, 2000)).toBeDefined();
    expect(result!.level).toBe('error');
    const asLoc = (s: SourceSpan): Loc['physicalLocation'] => ({
      artifactLocation: { uri: s.file },
      region: { startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn },
    });
    expect(result!.locations?.map((l) => l.physicalLocation)).toEqual([asLoc(conflict.contractSpan)]);
    const related = result!.relatedLocations?.map((l) => l.physicalLocation) ?? [];
    expect(related).toContainEqual(asLoc(conflict.contractSpan));
    expect(related).toContainEqual(asLoc(conflict.hardwareSpan));
    // Related location ids are unique within the result, as SARIF requires.
    const ids = result!.relatedLocations!.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(readFileSync(join(project, 'out/report/report.sarif'), 'utf8')).toBe(run.stdout);
  });

  it('html: the written page has the broken row with both spans', () => {
    const page = readFileSync(join(project, 'out/report/index.html'), 'utf8');
    // The revision's section runs to the next revision section (register pictures nest sections inside it).
    const section = page.slice(page.indexOf('id="demo-board-rev-c"'));
    const next = section.indexOf('<section class="revision"');
    const row = (next === -1 ? section : section.slice(0, next)).split('<tr>').find((r) => r.includes(`<td>${OPERATION}</td>`));
    expect(row).toBeDefined();
    expect(row).toContain('<td class="v-broken">broken</td>');
    expect(row).toContain(
      `conflict <code>${conflict.requirement}</code>: contract <code>${loc(conflict.contractSpan)}</code>, hardware <code>${loc(conflict.hardwareSpan)}</code>`,
    );
  });

  it('--fail-on never exits 0 and --fail-on attention exits 1 on the same results', async () => {
    const never = await runSpecdrive(['ci', '--fail-on', 'never'], project);
    expect(never.code, describeRun(never)).toBe(0);
    const attention = await runSpecdrive(['ci', '--fail-on', 'attention'], project);
    expect(attention.code, describeRun(attention)).toBe(1);
  });

  it("the broken operation alone is enough to fail (policy checked on this run's own report)", () => {
    const clean = { generateFailures: 0, compileFailures: 0, scenariosFailed: 0, unsatisfiable: 0 };
    const onlyBroken: CiReport = { ...report, summary: { ...report.summary, ...clean, attention: 0 } };
    expect(onlyBroken.summary.broken).toBeGreaterThan(0);
    expect(ciExitCode(onlyBroken, 'broken')).toBe(1);
    expect(ciExitCode(onlyBroken, 'never')).toBe(0);
    expect(ciExitCode({ ...onlyBroken, summary: { ...onlyBroken.summary, broken: 0 } }, 'broken')).toBe(0);
  });
});

describe('the same project without the breaking revision', () => {
  let control: string;
  let run: CliRun;
  beforeAll(async () => {
    control = copyDemoProject({ targets: ['c', 'docs'], prefix: 'specdrive-control-' });
    rmSync(join(control, 'hardware-specs/demo-board/rev-c.yaml'));
    run = await runSpecdrive(['ci', '--format', 'json'], control);
  }, 240_000);
  afterAll(() => removeProject(control));

  it('exits 0: nothing broken, everything generated and compiled', () => {
    const printed = JSON.parse(run.stdout) as CiReport;
    const errors = printed.revisions.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${r.revision} ${d.code}: ${d.message}`));
    expect([...new Set(errors)]).toEqual([]);
    expect(printed.summary.broken).toBe(0);
    expect(run.code, describeRun(run)).toBe(0);
  });
});
