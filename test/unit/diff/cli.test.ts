import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const A = 'hardware-specs/demo-board/rev-a.yaml';
const B = 'hardware-specs/demo-board/rev-b.yaml';
const C = 'hardware-specs/demo-board/rev-c.yaml';
const temp = mkdtempSync(join(tmpdir(), 'specdrive-diff-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<CliRun> => runCliIn(ROOT, ['diff', ...argv]);

describe('specdrive diff', () => {
  it('prints a text report and exits 0 without --fail-on', async () => {
    const r = await run(A, B);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('field-renamed');
    expect(r.stdout).toContain('UART0.CTRL.ENABLE');
  });

  // An invalid AFTER: two fields of one register share bits (what vendor SVDs often carry).
  const overlapping = (): string => {
    const bad = join(temp, 'overlap.yaml');
    writeFileSync(
      bad,
      [
        'spec: specdrive/hardware@1',
        'board: fixture',
        'revision: r1',
        'peripherals:',
        '  UART0:',
        '    base: 0x4000_1000',
        '    registers:',
        '      CTRL: { offset: 0x0, fields: { EN: { bits: 3..0, access: rw }, MODE: { bits: 2..1, access: rw } } }',
        '',
      ].join('\n'),
    );
    return bad;
  };

  it('--strict refuses an invalid input: named, located, exit 2, no report', async () => {
    const bad = overlapping();
    const r = await run(A, bad, '--strict');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`AFTER (${bad}) is not a valid register map: 1 validation error(s), listed below`);
    expect(r.stderr).toContain(`${bad}:8:70: error[validate/field-overlap]`);
  });

  it('compares an invalid input as written and says so on stderr and in every report format', async () => {
    const bad = overlapping();
    const text = await run(A, bad);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain(`AFTER (${bad}) is not a valid register map: 1 validation error(s); compared as written`);
    expect(text.stdout).toMatch(/warning: The after input \(fixture r1\) is not a valid register map: 1 validation error\(s\) \(validate\/field-overlap\)/);
    // The comparison itself ran: the demo's UART0 has other fields than the fixture's.
    expect(text.stdout).toMatch(/field-(removed|added)/);
    expect(text.stdout).not.toContain('warning: The before input');
    const json = JSON.parse((await run(A, bad, '--format', 'json')).stdout) as { before: object; after: { invalid?: unknown } };
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs/schema/diff.schema.json'), 'utf8')) as object;
    expect(new Ajv({ strict: false }).compile(schema)(json)).toBe(true);
    expect(json.after.invalid).toEqual({ errors: 1, codes: ['validate/field-overlap'] });
    expect(json.before).not.toHaveProperty('invalid');
    expect((await run(A, bad, '--format', 'markdown')).stdout).toContain('> **Warning:** The after input (fixture r1) is not a valid register map');
    expect((await run(A, bad, '--format', 'html')).stdout).toContain('<p class="invalid-input">The after input (fixture r1) is not a valid register map');
    const sarif = JSON.parse((await run(A, bad, '--format', 'sarif')).stdout) as {
      runs: { invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[];
    };
    expect(sarif.runs[0]!.invocations?.[0]?.toolExecutionNotifications[0]?.level).toBe('warning');
    // A valid pair carries no such notice anywhere.
    const clean = await run(A, B, '--format', 'json');
    expect(clean.stdout).not.toContain('"invalid"');
    expect((await run(A, B)).stdout).not.toContain('not a valid register map');
  });

  it('groups and orders the text report, and --verbose lists every instance', async () => {
    const r = await run(B, C);
    const lines = r.stdout.split('\n').filter((l) => /^ {2}(breaking|behavioural|compatible|documentation)/.test(l));
    const rank = ['breaking', 'behavioural', 'compatible', 'documentation'];
    const order = lines.map((l) => rank.indexOf(l.trim().split(/\s+/)[0]!));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(r.stdout.split('\n')[0]).toMatch(/^diff demo-board rev-b → demo-board rev-c/);
  });

  it('exits 1 when --fail-on is reached and 0 when it is not', async () => {
    expect((await run(B, C, '--fail-on', 'breaking')).code).toBe(1);
    expect((await run(A, B, '--fail-on', 'breaking')).code).toBe(0);
    expect((await run(A, B, '--fail-on', 'behavioural')).code).toBe(1);
  });

  it('applies a policy file with waivers', async () => {
    const policy = join(temp, 'policy.yaml');
    writeFileSync(policy, 'spec: specdrive/diff-policy@1\nwaivers:\n  - path: "UART0.**"\n    reason: UART reworked on purpose\n');
    const r = await run(B, C, '--fail-on', 'breaking', '--policy', policy, '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { summary: { waived: number; failed: boolean } };
    expect(json.summary.waived).toBe(3);
    expect(json.summary.failed).toBe(false);
  });

  it('writes every format to a file with -o', async () => {
    for (const format of ['markdown', 'json', 'sarif', 'html']) {
      const out = join(temp, `report.${format}`);
      const r = await run(A, B, '--format', format, '-o', out);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(200);
    }
  });

  it('exits 2 with located diagnostics for unusable inputs and options', async () => {
    const missing = await run(A, 'no/such/file.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('import/unreadable');
    const policy = join(temp, 'bad.yaml');
    writeFileSync(policy, 'spec: specdrive/diff-policy@1\nseverities:\n  field-removed: terrible\n');
    const bad = await run(A, B, '--policy', policy);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`${policy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+`));
    expect((await run(A, B, '--format', 'pdf')).code).toBe(2);
    expect((await run(A, B, '--fail-on', 'fatal')).code).toBe(2);
    expect((await run(A)).code).toBe(2);
    expect(existsSync(join(temp, 'partial'))).toBe(false);
  });
});
