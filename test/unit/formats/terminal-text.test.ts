import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../../src/diagnostics/render.ts';
import { SourceText } from '../../../src/diagnostics/source-text.ts';
import { terminalText } from '../../../src/formats/escape/index.ts';
import { applyPolicy, diffDevices, renderText } from '../../../src/diff/index.ts';
import { importText } from '../../../src/importers/index.ts';
import { summaryLines } from '../../../src/cli/commands/ci.ts';
import type { CiReport } from '../../../src/pipeline/ci-types.ts';

// What a spec can carry to hijack a terminal: a colour and clear-screen sequence, an OSC title/clipboard
// sequence, a C1 CSI, a backspace, a bidirectional override.
const HOSTILE = 'A\u001b[2J\u001b]52;c;ZXZpbA==\u0007B\u009b31mC\bD\u202eE';

describe('terminal escaper', () => {
  it('turns every character a terminal acts on into U+FFFD, one for one, and keeps tab and line feed', () => {
    const out = terminalText(HOSTILE);
    expect(out).toHaveLength(HOSTILE.length);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(terminalText('a\tb\nc')).toBe('a\tb\nc');
    expect(terminalText('USART1.CR1 → UE')).toBe('USART1.CR1 → UE');
  });

  it('a diagnostic quoting hostile spec text prints none of it raw, and the caret stays under the span', () => {
    const line = `name: "${HOSTILE}" # bad`;
    const source = new SourceText('evil.yaml', line + '\n');
    const rendered = renderDiagnostic(
      {
        code: 'validate/bad-name',
        severity: 'warning',
        message: `name ${HOSTILE} is not an identifier`,
        span: { file: 'evil.yaml', line: 1, column: line.indexOf('#') + 1, endLine: 1, endColumn: line.length + 1 },
        hint: HOSTILE,
      },
      () => source,
    );
    expect(rendered).not.toMatch(/[\u001b\u0007\u0008\u009b\u202e]/);
    const [frame, caret] = rendered.split('\n').slice(2, 4) as [string, string];
    expect(caret.indexOf('^')).toBe(frame.indexOf('#'));
  });

  it('the diff text report makes spec text inert, and with colour writes only its own SGR codes', () => {
    const spec = (board: string, field: string): string =>
      `spec: specdrive/hardware@1\nboard: "${board}"\nrevision: r1\nperipherals:\n  UART0:\n    base: 0x4000_1000\n    registers:\n      CTRL: { offset: 0x0, description: "${field}", fields: { EN: { bits: 0, access: rw } } }\n`;
    const escaped = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const before = importText(spec(escaped(HOSTILE), 'old'), 'a.yaml').value!;
    const after = importText(spec(escaped(HOSTILE), escaped(HOSTILE)), 'b.yaml').value!;
    const report = applyPolicy(diffDevices(before, after).value!);
    expect(renderText(report)).not.toMatch(/[\u001b\u0007\u0008\u009b\u202e]/);
    const coloured = renderText(report, { color: true });
    expect(coloured.replace(/\u001b\[(?:\d+;)*\d+m/g, '')).not.toMatch(/[\u001b\u0007\u0008\u009b\u202e]/);
    expect(coloured).toContain('\u001b[36mdocumentation\u001b[0m');
  });

  it('the ci summary on the terminal quotes project and board names inert', () => {
    const summary = {
      revisions: 0,
      cached: 0,
      broken: 0,
      attention: 0,
      undecided: 0,
      unsatisfiable: 0,
      generateFailures: 0,
      compileFailures: 0,
      environmentErrors: 0,
      scenariosPassed: 0,
      scenariosFailed: 0,
    };
    const out = summaryLines({ project: HOSTILE, revisions: [], diagnostics: [], summary } as unknown as CiReport, 'out/report');
    expect(out).toContain('A\uFFFD[2J');
    expect(out).not.toMatch(/[\u001b\u0007\u0008\u009b\u202e]/);
  });
});
