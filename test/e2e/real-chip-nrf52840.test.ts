import { describe, expect, it } from 'vitest';
import { expectEveryTargetRan, useBoardCi } from './helpers/board-ci.ts';
import { describeRun } from './helpers/project-copy.ts';

/**
 * The nRF52840 project (boards/nrf52840) through `specdrive ci`: Nordic's SVD from nrfx v1.6.0,
 * v2.5.0 and v3.7.0, the board overlay, and a UART contract written from the Product Specification.
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
      scenariosPassed: 24,
    });
    for (const r of ci.report.revisions) {
      expectEveryTargetRan(r);
      // The UART registers the contract uses are identical in the three releases: unchanged.
      expect(
        r.bindings.map((b) => `${b.driver}→${b.peripheral}:${b.verdict}`),
        r.revision,
      ).toEqual(['uart→UART0:unchanged']);
    }
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
