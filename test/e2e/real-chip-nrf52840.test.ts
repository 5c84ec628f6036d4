import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectEveryTargetRan, useBoardCi } from './helpers/board-ci.ts';
import { describeRun } from './helpers/project-copy.ts';

/**
 * The nRF52840 project (boards/nrf52840) through `specdrive ci`: Nordic's SVD from nrfx v1.6.0,
 * v2.5.0 and v3.7.0, the board overlay, and UART and TIMER contracts written from the Product
 * Specification. The TIMER's counter is internal (no register holds it): the overlay models it as
 * hidden state that tasks start, stop, clear and capture, counting at 16 MHz / 2^PRESCALER in
 * simulator ticks, and the configurations solve PRESCALER for the frequency they ask for.
 * The SVD's shared instance slots (UART0/UARTE0, SPI0/SPIM0/…) are imported as alternate
 * peripherals, so they do not overlap; USBD has read actions on write-only fields, which the overlay
 * waives, and every waived finding stays in the report as an info that says why.
 */
const ci = useBoardCi('nrf52840');

describe('nRF52840 through specdrive ci', () => {
  it('is green on three nrfx releases: generated, compiled, every scenario passed on every target', () => {
    expect(ci.run.code, describeRun(ci.run)).toBe(0);
    expect(ci.report.summary).toMatchObject({
      revisions: 3,
      broken: 0,
      attention: 0,
      unsatisfiable: 0,
      generateFailures: 0,
      compileFailures: 0,
      scenariosFailed: 0,
      // (2 UART + 6 TIMER scenarios) × (interpreter, C, TypeScript, Python) × 3 revisions.
      scenariosPassed: 96,
    });
    for (const r of ci.report.revisions) {
      expectEveryTargetRan(r);
      expect(new Set(r.scenarios.map((s) => s.scenario)), r.revision).toEqual(
        new Set([
          'transmit a byte',
          'receive a byte',
          'start and capture',
          'compare event',
          'clear',
          'stop holds the counter',
          'periodic compare through the COMPARE0_CLEAR shortcut',
          'compare interrupt',
        ]),
      );
      // 16 MHz / 2^4 = 1 MHz exactly.
      expect(r.configurations[0]?.fields, r.revision).toEqual({ 'TIMER0.PRESCALER.PRESCALER': 4 });
    }
  });

  it('states each verdict between releases with its reason', () => {
    // Every operation of both contracts is unchanged on all three releases, and this is why: the
    // diff finds no change at all in TIMER0 between nrfx v1.6.0, v2.5.0 and v3.7.0, and in UART0
    // only a description (v3.7.0 documents that reading RXD moves the double-buffered byte in).
    const reasons = (revision: string) =>
      ci.report.revisions
        .find((r) => r.revision === revision)!
        .bindings.flatMap((b) => b.operations.map((o) => `${b.driver}→${b.peripheral}.${o.operation}:${o.verdict}`))
        .sort();
    const expected = [
      ...['clear', 'disable_interrupt', 'enable_interrupt', 'init', 'read_counter', 'set_compare', 'set_period', 'start', 'stop', 'wait_compare'].map(
        (op) => `timer→TIMER0.${op}:unchanged`,
      ),
      ...['init', 'receive_byte', 'send_byte'].map((op) => `uart→UART0.${op}:unchanged`),
    ].sort();
    for (const revision of ['v1.6.0', 'v2.5.0', 'v3.7.0']) expect(reasons(revision), revision).toEqual(expected);
    const touching = (revision: string) =>
      (ci.report.revisions.find((r) => r.revision === revision)!.diff?.changes ?? [])
        .filter((c) => [c.before?.path, c.after?.path].some((p) => p !== undefined && /^(TIMER0|UART0)\./.test(p)))
        .map((c) => `${c.rule} ${c.after?.path ?? c.before?.path}`);
    expect(touching('v2.5.0')).toEqual([]);
    expect(touching('v3.7.0')).toEqual(['description-changed UART0.RXD']);
  });

  it('tabulates the solved PRESCALER in the generated driver: every frequency 16 MHz / 2^n reaches within 1 %', () => {
    const header = readFileSync(join(ci.project, 'out/nrf52840/v3.7.0/c/include/timer0.h'), 'utf8');
    const table = [...header.matchAll(/case (\d+)u:\s*TIMER_PRESCALER_MODIFY\(base, SD_FIELD_SET\(TIMER_PRESCALER_PRESCALER, 0x([0-9a-f]+)u\)/gi)].map((m) => [
      Number(m[1]),
      parseInt(m[2]!, 16),
    ]);
    // The standard frequencies 1 kHz, 10 kHz and 100 kHz have no setting within 1 %: PRESCALER
    // takes 0–9 (the overlay's range), so 31 250 Hz is the lowest, and 100 kHz lies between 62 500
    // and 125 000 Hz. Proven infeasible, they are left out and the driver answers unsupported.
    expect(table).toEqual([
      [125000, 7],
      [250000, 6],
      [500000, 5],
      [1000000, 4],
      [2000000, 3],
      [4000000, 2],
      [8000000, 1],
      [16000000, 0],
    ]);
  });

  it('reports every waived finding, with the waiver’s reason, instead of failing or hiding it', () => {
    const waived = Object.fromEntries(
      ci.report.revisions.map((r) => {
        const counts: Record<string, number> = {};
        for (const d of r.diagnostics) if (d.message.startsWith('waived (')) counts[d.code] = (counts[d.code] ?? 0) + 1;
        return [r.revision, counts];
      }),
    );
    expect(waived).toEqual({
      'v1.6.0': { 'validate/read-effect-unreadable': 3 },
      'v2.5.0': { 'validate/read-effect-unreadable': 3 },
      'v3.7.0': { 'validate/read-effect-unreadable': 3 },
    });
    // Alternate peripherals are imported: no overlap is reported at all.
    expect(ci.report.revisions.flatMap((r) => r.diagnostics.filter((d) => d.code === 'validate/peripheral-overlap'))).toEqual([]);
    const stall = ci.report.revisions[2]!.diagnostics.find((d) => d.code === 'validate/read-effect-unreadable');
    expect(stall?.severity).toBe('info');
    expect(stall?.path).toMatch(/^USBD\./);
    expect(stall?.message).toMatch(/^waived \(Nordic gives write-only USBD fields \(EPSTALL\) a readAction; nothing reads them\): /);
    expect(stall?.related?.some((x) => x.span.file.endsWith('nrf52840.overlay.yaml'))).toBe(true);
  });
});
