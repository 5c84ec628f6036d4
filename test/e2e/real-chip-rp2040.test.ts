import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectEveryTargetRan, useBoardCi } from './helpers/board-ci.ts';
import { copyBoardProject, describeRun, removeProject, readJsonReport, revisionOf, runSpecdrive } from './helpers/project-copy.ts';

/**
 * The RP2040 project (boards/rp2040) through `specdrive ci`: three pico-sdk releases of the vendor
 * SVD (1.5.1, 2.0.0, 2.2.0), the board overlay, UART (PL011) and SIO GPIO contracts written from the
 * datasheet. Everything is real: the SVDs from ../shared/data, gcc -Werror, tsc --strict, python,
 * the simulator over a pty.
 */
const ci = useBoardCi('rp2040');

describe('RP2040 through specdrive ci', () => {
  it('is green: configurations solved, every target generated and compiled, every scenario passed', () => {
    expect(ci.run.code, describeRun(ci.run)).toBe(0);
    expect(ci.report.summary).toMatchObject({
      revisions: 3,
      broken: 0,
      attention: 0,
      unsatisfiable: 0,
      generateFailures: 0,
      compileFailures: 0,
      scenariosFailed: 0,
    });
    for (const r of ci.report.revisions) {
      expectEveryTargetRan(r);
      // 3 scenarios (uart ×2, gpio ×1) on the interpreter and on each generated target over a pty.
      const byTarget = new Map<string, string[]>();
      for (const s of r.scenarios) byTarget.set(s.target, [...(byTarget.get(s.target) ?? []), `${s.driver}/${s.scenario}:${s.status}`]);
      expect([...byTarget.keys()].sort(), r.revision).toEqual(['c', 'interpreted', 'python', 'typescript']);
      for (const [target, results] of byTarget) {
        expect(results.sort(), `${r.revision} ${target}`).toEqual([
          'gpio/set, clear and toggle pins:passed',
          'uart/receive a byte:passed',
          'uart/transmit a byte:passed',
        ]);
      }
      // The configuration's baud: 4 × 125 MHz / (64 × 67 + 52) = 115 207 Bd.
      expect(r.configurations[0]?.fields).toMatchObject({ 'UART0.UARTIBRD.BAUD_DIVINT': 67, 'UART0.UARTFBRD.BAUD_DIVFRAC': 52 });
    }
  });

  it('binds the configured instances, and every operation is unchanged across the releases, for stated reasons', () => {
    for (const rev of ['1.5.1', '2.0.0', '2.2.0']) {
      const r = revisionOf(ci.report, rev, 'rp2040');
      // The configuration names UART0 and SIO: UART1, also of kind uart by the overlay's glob, is not bound.
      expect(r.bindings.map((b) => `${b.driver}→${b.peripheral}:${b.verdict}`).sort(), rev).toEqual(['gpio→SIO:unchanged', 'uart→UART0:unchanged']);
    }
    const v2 = revisionOf(ci.report, '2.0.0', 'rp2040');
    // 2.0.0 renames three peripherals; the diff follows them as renames, and none is a driver's.
    const renames = v2.diff?.changes
      .filter((c) => c.rule === 'peripheral-renamed')
      .map((c) => c.message)
      .sort();
    expect(renames).toEqual(['peripheral USBCTRL_DPRAM renamed to USB_DPRAM', 'peripheral USBCTRL_REGS renamed to USB', 'peripheral XIP_SSI renamed to SSI']);
    // The SVD changed UARTDR.DATA's readAction between 1.5.1 (none) and 2.0.0 (modify); the
    // overlay fixes it to a FIFO pop in every release, so the receive path is unchanged.
    expect(v2.diff?.changes.filter((c) => (c.before?.path ?? c.after?.path) === 'UART0.UARTDR.DATA' && c.rule !== 'description-changed')).toEqual([]);
    // 2.0.0 adds fields to TIMER's registers (opaque in 1.5.1): reported, not a driver's concern.
    expect(v2.diff?.changes.some((c) => c.rule === 'field-added' && c.after?.path === 'TIMER.TIMELR.TIMELR')).toBe(true);
  });

  it('generated C modifies UART registers through the atomic aliases the overlay declares (layout UART, from the SVD groupName)', () => {
    const header = readFileSync(join(ci.project, 'out/rp2040/2.2.0/c/include/uart0.h'), 'utf8');
    expect(header).toContain(
      '#define UART_UARTCR_MODIFY(base, value, mask) sd_modify_alias32(((uintptr_t)(base) + UART_UARTCR_OFFSET), (uint32_t)(value), (uint32_t)(mask), 0x2000u, 0x3000u)',
    );
    expect(header).toContain('#define UART_UARTCR_TOGGLE(base, bits) sd_write32(((uintptr_t)(base) + UART_UARTCR_OFFSET) + 0x1000u, (uint32_t)(bits))');
    // SIO has no aliases: its registers keep the read-modify-write.
    expect(readFileSync(join(ci.project, 'out/rp2040/2.2.0/c/include/sio.h'), 'utf8')).not.toContain('sd_modify_alias');
  });

  it('a second run takes every revision from the cache', async () => {
    const again = await runSpecdrive(['ci'], ci.project);
    expect(again.code, describeRun(again)).toBe(0);
    expect(readJsonReport(ci.project).summary).toMatchObject({ revisions: 3, cached: 3 });
  }, 300_000);

  it('a bad overlay stops ci with a located error (exit 2) and writes nothing', async () => {
    const bad = copyBoardProject('rp2040');
    try {
      const overlay = join(bad, 'rp2040.overlay.yaml');
      writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('UARTDR.DATA: { onread: fifo }', 'UARTDR.DATUM: { onread: fifo }'));
      const failed = await runSpecdrive(['ci'], bad);
      expect(failed.code, describeRun(failed)).toBe(2);
      expect(failed.stderr).toMatch(/rp2040\.overlay\.yaml:\d+:\d+.*overlay\/matches-nothing/s);
      expect(failed.stderr).toContain('field UART*.UARTDR.DATUM matches nothing in any revision');
      expect(existsSync(join(bad, 'out'))).toBe(false);
    } finally {
      removeProject(bad);
    }
  }, 120_000);
});
