import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { applyPolicy, diffDevices, renderHtml, renderJson, renderMarkdown, renderSarif, renderText, RULE_IDS } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

const before = deviceFrom(`CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw }, "LOOP": { bits: 1, description: "a | b <script>" } } }`, {
  file: 'before.yaml',
});
const after = deviceFrom(`CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: r }, "LOOP": { bits: 2, description: "a | b <script>" } } }`, {
  file: 'after.yaml',
});
const report = applyPolicy(diffDevices(before, after).value!, undefined, 'breaking');

describe('report formats', () => {
  it('JSON validates against the published schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/diff.schema.json', import.meta.url), 'utf8')) as {
      definitions: { rule: { enum: string[] } };
    };
    expect(schema.definitions.rule.enum).toEqual([...RULE_IDS]);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const json = JSON.parse(renderJson(report)) as { summary: { failed: boolean }; changes: unknown[] };
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.summary.failed).toBe(true);
    // The schema rejects what it should: an unknown rule id.
    expect(
      validate({
        ...json,
        changes: [
          {
            rule: 'made-up',
            kind: 'field',
            message: 'x',
            severity: 'breaking',
            after: { path: 'a', span: { file: 'f', line: 1, column: 1, endLine: 1, endColumn: 2 } },
          },
        ],
      }),
    ).toBe(false);
  });

  it('SARIF 2.1.0 has rules, levels and both locations', () => {
    const sarif = JSON.parse(renderSarif(report)) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
          relatedLocations?: unknown[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    const narrowed = run.results.find((r) => r.ruleId === 'access-narrowed')!;
    expect(narrowed.level).toBe('error');
    expect(run.tool.driver.rules[narrowed.ruleIndex]!.id).toBe('access-narrowed');
    expect(narrowed.locations[0]!.physicalLocation.artifactLocation.uri).toBe('after.yaml');
    expect(narrowed.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(narrowed.relatedLocations).toHaveLength(1);
  });

  it('text and Markdown list every change with its severity', () => {
    const text = renderText(report);
    expect(text).toContain('access-narrowed');
    expect(text).toContain('fails --fail-on breaking');
    const md = renderMarkdown(report);
    expect(md).toContain('`access-narrowed`');
    expect(md).toMatch(/\| breaking \| 2 \| \d+ \|/);
    expect(md).toContain('#### Needs action');
  });

  it('HTML is self-contained, escapes spec text and draws both layouts', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html).toContain('<svg');
    expect(html.match(/<section class="register"/g)).toHaveLength(1);
    expect(html).toContain('data-field="LOOP"');
  });

  it('a wording change graded breaking (an uncertain pairing) is listed as breaking, not folded into the wording count', () => {
    const base = report.changes[0]!;
    const hidden = {
      ...base,
      rule: 'description-changed' as const,
      severity: 'breaking' as const,
      uncertain: true,
      message: 'description changed on an uncertain pairing',
    };
    const wording = { ...base, rule: 'description-changed' as const, severity: 'documentation' as const, message: 'plain wording edit' };
    const judged = { ...report, changes: [hidden, wording] };
    const md = renderMarkdown(judged);
    const needs = md.slice(md.indexOf('#### Needs action'));
    expect(needs.split('\n').some((l) => l.startsWith('- **breaking** `description-changed`'))).toBe(true);
    expect(renderText(judged)).toMatch(/breaking\s+description-changed/);
    expect(renderText(judged)).toContain('1 description-only changes');
  });
});
