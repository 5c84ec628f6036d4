import { describe, expect, it } from 'vitest';
import { solveConfiguration, solveTarget } from '../../../src/configure/index.ts';
import { demoConfig, demoProfile, demoRevision } from '../../helpers/demo.ts';

const HCLK = 48_000_000;

/** Datasheet formula, computed independently of the solver: the divisor nearest HCLK / baud. */
function nearestDivisor(baud: number): number {
  return Math.round(HCLK / baud);
}

describe('configuration solving (layer 3 on layer 2)', () => {
  it('solves the demo console to the register values the datasheet formula gives', () => {
    const { value, diagnostics } = solveConfiguration(demoRevision('rev-b'), demoConfig('demo-rev-b'), { profile: demoProfile('default') });
    expect(diagnostics).toEqual([]);
    const divisor = nearestDivisor(115_200); // 417 sixteenths
    expect(value.fields['UART0.BAUD.DIV']).toBe(Math.floor(divisor / 16));
    expect(value.fields['UART0.BAUD.FRAC']).toBe(divisor % 16);
    // BAUD register: DIV in bits 15..4, FRAC in 3..0.
    expect(value.registers['UART0.BAUD']).toBe(divisor);
    // The setting EVEN (2) lands in PARITY bits 2..1.
    expect(value.fields['UART0.CTRL.PARITY']).toBe(2);
    expect(value.registers['UART0.CTRL']).toBe(2 << 1);
    const baud = value.quantities.find((q) => q.quantity === 'baud');
    expect(baud?.achieved).toBeCloseTo(HCLK / divisor, 6);
  });

  it('gives the timer an exact 1 kHz with the largest prescaler when the profile prefers low power', () => {
    const { value } = solveConfiguration(demoRevision('rev-b'), demoConfig('demo-rev-b'), { profile: demoProfile('default') });
    const psc = value.fields['TIM0.PSC.PSC'] as number;
    const arr = value.fields['TIM0.ARR.ARR'] as number;
    expect((psc + 1) * (arr + 1)).toBe(HCLK / 1000);
    // Independent oracle: the largest divisor of 48000 that fits the 16-bit prescaler, minus one.
    let best = 0;
    for (let p = 1; p <= 65536; p++) if ((HCLK / 1000) % p === 0) best = p;
    expect(psc).toBe(best - 1);
  });

  it('on rev-a the 8-bit prescaler limits the choice, and speed prefers the smallest prescaler', () => {
    const device = demoRevision('rev-a');
    const tim = device.peripherals.find((p) => p.name === 'TIM0')!;
    const clocks = [{ name: 'HCLK', hz: HCLK, requirement: { id: 'hw', layer: 'hardware' as const, text: 'HCLK' } }];
    const r = solveTarget({ device, peripheral: tim, quantity: 'update_rate', target: 1000, tolerances: [], clocks, prefer: 'speed' });
    if (r.status !== 'solved') throw new Error(`expected solved, got ${r.status}`);
    const psc = r.fields['TIM0.PSC.PSC'] as number;
    const arr = r.fields['TIM0.ARR.ARR'] as number;
    expect((psc + 1) * (arr + 1)).toBe(48_000);
    // ARR is 16 bits: the smallest prescaler with (ARR+1) <= 65536 dividing 48000 exactly is 1 (PSC 0).
    expect(psc).toBe(0);
    expect(arr).toBe(47_999);
  });

  it('explains an impossible profile: the blocking layer, a minimal conflict and working alternatives', () => {
    const revisions = (['rev-a', 'rev-b', 'rev-c'] as const).map(demoRevision);
    const { value, diagnostics } = solveConfiguration(revisions[0]!, demoConfig('fast-console'), {
      profile: demoProfile('precise'),
      otherRevisions: revisions.slice(1),
    });
    expect(value.unsatisfiable).toHaveLength(1);
    const u = value.unsatisfiable[0]!;
    expect(u.blockingLayer).toBe('hardware');
    const conflictIds = u.conflicts.map((c) => c.map((r) => r.id).sort());
    expect(conflictIds).toContainEqual(['hardware:clock:HCLK', 'profile:max_error']);
    // Minimality: every conflict without any one member is satisfiable — checked by relaxing it.
    for (const conflict of u.conflicts) {
      for (const dropped of conflict) {
        const device = revisions[0]!;
        const uart = device.peripherals.find((p) => p.name === 'UART0')!;
        const r = solveTarget({
          device,
          peripheral: uart,
          quantity: 'baud',
          target: 921_600,
          tolerances: [
            { tolerance: 0.01, requirement: { id: 'profile:max_error', layer: 'profile', text: '' } },
            { tolerance: 0.1, requirement: { id: 'config:UART0.baud', layer: 'configuration', text: '' } },
          ],
          clocks: [{ name: 'HCLK', hz: HCLK, requirement: { id: 'hardware:clock:HCLK', layer: 'hardware', text: '' } }],
          relax: new Set([dropped.id]),
        });
        expect(r.status, `dropping ${dropped.id}`).toBe('solved');
      }
    }
    // Alternatives: exact values on rev-a, rev-b meeting it, and a clock that would.
    expect(u.alternatives.values).toEqual([750_000, 1_000_000]);
    const revB = u.alternatives.revisions.find((r) => r.revision === 'rev-b');
    expect(revB?.error).toBeLessThan(0.01);
    expect(revB?.specChange).toContain('4-bit BAUD.FRAC');
    const clock = u.alternatives.clock?.hz as number;
    expect(Math.abs(clock / 48 - 921_600) / 921_600).toBeLessThanOrEqual(0.01);
    expect(diagnostics.map((d) => d.code)).toEqual(['configure/unsatisfiable']);
    expect(diagnostics[0]?.span?.file).toBe('software-specs/configs/fast-console.yaml');
  });

  it('the wasm engine and the TypeScript reference give the same configuration', () => {
    const device = demoRevision('rev-b');
    const a = solveConfiguration(device, demoConfig('demo-rev-b'), { profile: demoProfile('default'), engine: 'wasm' });
    const b = solveConfiguration(device, demoConfig('demo-rev-b'), { profile: demoProfile('default'), engine: 'ts' });
    expect(a.value.engine).toBe('wasm');
    expect(b.value.engine).toBe('ts');
    expect(a.value.registers).toEqual(b.value.registers);
  });

  it('reports unknown settings and values at their location', () => {
    const base = demoConfig('demo-rev-b');
    const config = {
      ...base,
      settings: [
        { ...base.settings[0]!, value: 'MARK' },
        { ...base.settings[0]!, path: 'UART0.CTRL.NOPE' },
      ],
    };
    const { diagnostics } = solveConfiguration(demoRevision('rev-b'), config);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['configure/bad-setting', 'configure/unknown-field']);
    expect(diagnostics.every((d) => d.span?.file === 'software-specs/configs/demo-rev-b.yaml')).toBe(true);
  });

  it('an interrupt-driven profile on a peripheral without an irq line is blocked by layer 2, located on both sides', () => {
    const device = demoRevision('rev-b');
    const withoutIrq = { ...device, peripherals: device.peripherals.map((p) => (p.name === 'UART0' ? { ...p, interrupts: [] } : p)) };
    const profile = demoProfile('default');
    expect(profile.io?.value).toBe('interrupt');
    const { diagnostics } = solveConfiguration(withoutIrq, demoConfig('demo-rev-b'), { profile });
    const blocked = diagnostics.filter((d) => d.code === 'configure/no-interrupt');
    expect(blocked.map((d) => d.message)).toEqual([expect.stringMatching(/UART0 has no interrupt line.*blocked by layer 2/)]);
    expect(blocked[0]?.related?.map((r) => r.span.file)).toEqual(['software-specs/profiles/default.yaml', expect.stringMatching(/rev-b\.yaml$/)]);
    // With the irq line the spec declares, or a polling profile, nothing is blocked.
    expect(solveConfiguration(device, demoConfig('demo-rev-b'), { profile }).diagnostics.filter((d) => d.code === 'configure/no-interrupt')).toEqual([]);
    expect(
      solveConfiguration(withoutIrq, demoConfig('demo-rev-b'), { profile: demoProfile('precise') }).diagnostics.filter(
        (d) => d.code === 'configure/no-interrupt',
      ),
    ).toEqual([]);
  });
});
