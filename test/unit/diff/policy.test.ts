import { describe, expect, it } from 'vitest';
import { applyPolicy, DEFAULT_SEVERITY, diffDevices, globToRegExp, loadPolicy, RULE_IDS, RULE_SUMMARY } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

const before = deviceFrom(`CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw }, LOOP: { bits: 1 } } }`);
const after = deviceFrom(`CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw, reset: 1, description: Enable. } } }`);
const changeSet = diffDevices(before, after).value!;

describe('severity policy', () => {
  it('grades every rule by default and documents it', () => {
    for (const id of RULE_IDS) {
      expect(DEFAULT_SEVERITY[id]).toBeDefined();
      expect(RULE_SUMMARY[id].length).toBeGreaterThan(10);
    }
    const report = applyPolicy(changeSet);
    expect(report.changes.map((c) => [c.rule, c.severity])).toEqual([
      ['reset-changed', 'behavioural'],
      ['description-changed', 'documentation'],
      ['field-removed', 'breaking'],
    ]);
    expect(report.counts).toEqual({ breaking: 1, behavioural: 1, compatible: 0, documentation: 1 });
    expect(report.failed).toBe(false);
  });

  it('sets the exit decision with --fail-on', () => {
    expect(applyPolicy(changeSet, undefined, 'breaking').failed).toBe(true);
    const onlyDocs = diffDevices(before, deviceFrom(`CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw, description: x }, LOOP: { bits: 1 } } }`))
      .value!;
    expect(applyPolicy(onlyDocs, undefined, 'compatible').failed).toBe(false);
    expect(applyPolicy(onlyDocs, undefined, 'documentation').failed).toBe(true);
  });

  it('re-grades rules and waives by path glob', () => {
    const text = [
      'spec: specdrive/diff-policy@1',
      'severities:',
      '  reset-changed: breaking',
      'waivers:',
      '  - path: "UART0.*.LOOP"',
      '    rule: field-removed',
      '    reason: test mode bit, never used by drivers',
      '',
    ].join('\n');
    const policy = loadPolicy(text, 'policy.yaml');
    expect(policy.diagnostics).toEqual([]);
    const report = applyPolicy(changeSet, policy.value!, 'breaking');
    const removed = report.changes.find((c) => c.rule === 'field-removed')!;
    expect(removed.waived).toBe('test mode bit, never used by drivers');
    expect(report.changes.find((c) => c.rule === 'reset-changed')!.severity).toBe('breaking');
    expect(report.waivedCount).toBe(1);
    expect(report.counts.breaking).toBe(1);
    expect(report.failed).toBe(true);
  });

  it('reports bad policy files with located, coded diagnostics', () => {
    const text = 'spec: specdrive/diff-policy@1\nseverities:\n  reset-changed: fatal\nwaivers:\n  - path: "A.*"\n';
    const result = loadPolicy(text, 'bad-policy.yaml');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of result.diagnostics) {
      expect(d.code).toMatch(/^policy\//);
      expect(d.span?.file).toBe('bad-policy.yaml');
    }
    expect(result.diagnostics.map((d) => d.span!.line)).toEqual(expect.arrayContaining([3, 5]));
    const unknownRule = loadPolicy('spec: specdrive/diff-policy@1\nseverities:\n  no-such-rule: breaking\n', 'p.yaml');
    expect(unknownRule.value).toBeUndefined();
    expect(unknownRule.diagnostics[0]?.span?.line).toBe(3);
    const notYaml = loadPolicy('spec: [unclosed', 'p.yaml');
    expect(notYaml.diagnostics[0]?.code).toBe('yaml/syntax');
  });

  it('keeps * inside one path segment and lets ** cross segments', () => {
    expect(globToRegExp('UART0.*.EN').test('UART0.CTRL.EN')).toBe(true);
    expect(globToRegExp('UART0.*.EN').test('UART0.A.B.EN')).toBe(false);
    expect(globToRegExp('UART0.**').test('UART0.A.B.EN')).toBe(true);
    expect(globToRegExp('UART?.CTRL').test('UART1.CTRL')).toBe(true);
    expect(globToRegExp('A+B').test('A+B')).toBe(true);
  });
});
