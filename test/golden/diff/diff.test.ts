import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { importFile } from '../../../src/importers/index.ts';
import { applyPolicy, diffDevices, renderJson, renderMarkdown, renderText } from '../../../src/diff/index.ts';

/**
 * Golden diffs of the demo board's revision pairs. The expected change set is also spelled out here
 * rule by rule, so a regenerated golden file (UPDATE_GOLDEN=1) cannot silently accept a wrong diff.
 */
const EXPECTED = new URL('./expected/', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/diff.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const PAIRS = [
  {
    name: 'rev-a-to-rev-b',
    before: 'hardware-specs/demo-board/rev-a.yaml',
    after: 'hardware-specs/demo-board/rev-b.yaml',
    expected: [
      'field-widened TIM0.PSC.PSC → TIM0.PSC.PSC',
      'description-changed TIM0.PSC.PSC → TIM0.PSC.PSC',
      'description-changed UART0.BAUD → UART0.BAUD',
      'field-added - → UART0.BAUD.FRAC',
      'field-renamed UART0.CTRL.EN → UART0.CTRL.ENABLE',
      'description-changed UART0.CTRL.EN → UART0.CTRL.ENABLE',
      'access-widened UART0.STATUS.OVR → UART0.STATUS.OVR',
      'hw-access-changed UART0.STATUS.OVR → UART0.STATUS.OVR',
      'side-effect-changed UART0.STATUS.OVR → UART0.STATUS.OVR',
      'description-changed UART0.STATUS.OVR → UART0.STATUS.OVR',
    ],
  },
  {
    name: 'rev-b-to-rev-c',
    before: 'hardware-specs/demo-board/rev-b.yaml',
    after: 'hardware-specs/demo-board/rev-c.yaml',
    expected: [
      'register-added - → GPIOA.TOGGLE',
      'register-moved UART0.BAUD → UART0.BAUD',
      'field-removed UART0.CTRL.LOOPBACK → -',
      'register-added - → UART0.FIFO',
    ],
  },
] as const;

describe('golden diffs of the demo board', () => {
  for (const pair of PAIRS) {
    it(pair.name, async () => {
      const before = importFile(pair.before);
      const after = importFile(pair.after);
      const result = diffDevices(before.value!, after.value!);
      expect(result.diagnostics).toEqual([]);
      const report = applyPolicy(result.value!);
      expect(report.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} → ${c.after?.path ?? '-'}`)).toEqual(pair.expected);
      for (const c of report.changes) {
        if (c.before) expect(c.before.span.file).toBe(pair.before);
        if (c.after) expect(c.after.span.file).toBe(pair.after);
      }
      const outputs = { json: renderJson(report), md: renderMarkdown(report), txt: renderText(report) };
      expect(validate(JSON.parse(outputs.json)), JSON.stringify(validate.errors)).toBe(true);
      for (const [ext, text] of Object.entries(outputs)) {
        const file = `${EXPECTED}${pair.name}.${ext}`;
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
        // A missing golden is a failure, never a pass that writes it: UPDATE_GOLDEN=1 creates it.
        expect(existsSync(file), `missing golden ${file} (run with UPDATE_GOLDEN=1 to create it)`).toBe(true);
        expect(text).toBe(readFileSync(file, 'utf8'));
      }
    });
  }
});
