import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/index.ts';
import { loadRevisions } from '../../../src/pipeline/load-revisions.ts';
import { explainWaitTimeout, parseWaitTimeout, waitTimeoutMessage } from '../../../src/scenarios/wait-timeout.ts';
import { repoRoot } from '../../helpers/demo.ts';

/** The explanation of a wait time-out on the RP2040 with its overlay (boards/rp2040). */
const project = loadProject(join(repoRoot, 'boards/rp2040/specdrive.yaml'), process.cwd()).value!;
const device = loadRevisions(project.boards).revisions[0]!.device;

describe('explainWaitTimeout', () => {
  it('round-trips the runners’ line', () => {
    const line = waitTimeoutMessage('UART0.flush', { field: 'UARTFR.BUSY', value: 1, expected: 0 });
    expect(line).toBe('timeout UART0.flush: UARTFR.BUSY is 1, waited for 0');
    expect(parseWaitTimeout(`python: ${line}`)).toEqual({ field: 'UARTFR.BUSY', value: 1, expected: 0 });
    expect(parseWaitTimeout('c: timeout UART0.flush: a wait did not complete')).toBeUndefined();
  });

  it('names the behaviours that can set the field, with where they are written', () => {
    const text = explainWaitTimeout(device, 'UART0', 'flush', { field: 'UARTFR.BUSY', value: 1, expected: 0 });
    expect(text).toMatch(
      /^UART0\.flush timed out waiting for UART0\.UARTFR\.BUSY to be 0: it is 1, its reset value is 0, and it can be set to 0 by behaviour "on write UARTDR" \(.*rp2040\.overlay\.yaml:\d+:\d+\)$/,
    );
  });

  it('says when nothing can set it, and the FIFO that can', () => {
    expect(explainWaitTimeout(device, 'UART0', 'x', { field: 'UARTFR.CTS', value: 0, expected: 1 })).toBe(
      'UART0.x timed out waiting for UART0.UARTFR.CTS to be 1: it is 0, its reset value is 0, and nothing can set it to 1 (no behaviour writes it)',
    );
    expect(explainWaitTimeout(device, 'UART0', 'x', { field: 'UARTRSR.OE', value: 0, expected: 1 })).toContain('it can be set to 1 by the FIFO of UARTDR.DATA');
  });
});

describe('explainWaitTimeout on a register array element (nRF52840 TIMER0, boards/nrf52840)', () => {
  const nrf = loadProject(join(repoRoot, 'boards/nrf52840/specdrive.yaml'), process.cwd()).value!;
  const timer = loadRevisions(nrf.boards).revisions[0]!.device;

  it('names the tick behaviour that raises EVENTS_COMPARE[0] after a count, not "nothing"', () => {
    const text = explainWaitTimeout(timer, 'TIMER0', 'wait_compare', { field: 'EVENTS_COMPARE[0].EVENTS_COMPARE', value: 0, expected: 1 });
    expect(text).toMatch(
      /^TIMER0\.wait_compare timed out waiting for TIMER0\.EVENTS_COMPARE\[0\]\.EVENTS_COMPARE to be 1: it is 0, its reset value is 0, and it can be set to 1 by behaviour "on tick" \(.*nrf52840\.overlay\.yaml:\d+:\d+\)$/,
    );
    // Channel 5 exists in the SVD, but the overlay models channels 0–3: nothing raises it.
    expect(explainWaitTimeout(timer, 'TIMER0', 'x', { field: 'EVENTS_COMPARE[5].EVENTS_COMPARE', value: 0, expected: 1 })).toMatch(/nothing can set it to 1/);
  });
});
