import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CiReport } from '../../src/pipeline/ci-types.ts';
import { copyBoardProject, describeRun, readJsonReport, removeProject, runSpecdrive, type CliRun } from './helpers/project-copy.ts';

/**
 * A wait that can never complete, as with ST's STM32F407 SVD whose USART SR resets TXE to 0: here
 * the RP2040 overlay is changed so UARTFR.TXFF ("transmit FIFO full") resets to 1 and no
 * behaviour clears it. `send_byte` waits for TXFF = 0 and times out. The interpreter and the C,
 * TypeScript and Python op runners (over a pty) must say which field, its value, its reset value
 * and that nothing can set it — in the same words.
 */
let project: string;
let run: CliRun;
let report: CiReport;

beforeAll(async () => {
  project = copyBoardProject('rp2040');
  const file = join(project, 'specdrive.yaml');
  // One revision is enough.
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {6}- \{ revision: "2\.[02]\.0".*\n/gm, ''));
  const overlay = join(project, 'rp2040.overlay.yaml');
  writeFileSync(
    overlay,
    readFileSync(overlay, 'utf8').replace('      UARTDR.DATA: { onread: fifo }\n', '      UARTDR.DATA: { onread: fifo }\n      UARTFR.TXFF: { reset: 1 }\n'),
  );
  run = await runSpecdrive(['ci', '--fresh'], project);
  report = readJsonReport(project);
}, 600_000);
afterAll(() => removeProject(project));

describe('a wait that times out', () => {
  it('is explained in the same words by the interpreter, C, TypeScript and Python', () => {
    expect(run.code, describeRun(run)).toBe(1);
    const failed = report.revisions[0]!.scenarios.filter((s) => s.scenario === 'transmit a byte');
    expect(failed.map((s) => `${s.target}:${s.status}`).sort()).toEqual(['c:failed', 'interpreted:failed', 'python:failed', 'typescript:failed']);
    const messages = new Set(failed.map((s) => s.message));
    expect(messages.size, [...messages].join('\n')).toBe(1);
    const [message] = [...messages];
    expect(message).toMatch(/uart\.driver\.yaml:\d+:\d+: /);
    expect(message).toContain(
      'UART0.send_byte timed out waiting for UART0.UARTFR.TXFF to be 0: it is 1, its reset value is 1, and nothing can set it to 0 (no behaviour writes it)',
    );
    // The other scenarios still pass: only the broken wait fails.
    expect(report.revisions[0]!.scenarios.filter((s) => s.scenario !== 'transmit a byte').every((s) => s.status === 'passed')).toBe(true);
  });
});
