import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindContract } from '../../../src/bind/index.ts';
import { loadDriverContract } from '../../../src/contracts/index.ts';
import type { Diagnostic } from '../../../src/diagnostics/types.ts';
import { importFile } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { applyOverlay, loadOverlay } from '../../../src/overlay/index.ts';
import { lowerContract } from '../../../src/pipeline/lower-operations.ts';
import { buildGeneratorModel } from '../../../generators/index.ts';
import { sharedData } from '../../helpers/demo.ts';
import { C_FLAGS, materialise, render, run } from '../generators/helpers.ts';

/**
 * The TIMER contract of boards/nrf52840 on Nordic's nRF52840 SVD (three nrfx releases) with the
 * board's overlay (it gives the `frequency` quantity the contract solves): its roles name elements
 * of register arrays (CC[0], TASKS_CAPTURE[1], EVENTS_COMPARE[0]), which used to stop generation.
 */
const contractFile = 'boards/nrf52840/drivers/timer.driver.yaml';
const contract = loadDriverContract(readFileSync(contractFile, 'utf8'), contractFile).value!;
const overlay = loadOverlay('boards/nrf52840/nrf52840.overlay.yaml').value!;

function revision(name: string): Device {
  return applyOverlay(importFile(join(sharedData, `svd-revisions/nRF52840/nrf52840@${name}.svd.gz`)).value!, overlay).device;
}

describe('nRF52840 TIMER roles on array elements', () => {
  for (const name of ['v1.6.0', 'v2.5.0', 'v3.7.0']) {
    it(`${name}: binds TIMER0 unchanged and generates C that compiles with -Werror`, () => {
      const device = revision(name);
      const [binding] = bindContract(contract, device, { peripheral: 'TIMER0' }).value;
      expect(binding?.roles.find((r) => r.role === 'cc')?.field).toBe('CC[0].CC');
      expect(binding?.operations.map((o) => `${o.operation}:${o.verdict}`)).toEqual(contract.operations.map((o) => `${o.name}:unchanged`));
      const diagnostics: Diagnostic[] = [];
      const operations = lowerContract({ contract, binding: binding!, device }, diagnostics);
      expect(diagnostics).toEqual([]);
      const model = buildGeneratorModel({ ...device, peripherals: device.peripherals.filter((p) => p.name === 'TIMER0') }, { operations });
      const c = render('c', model);
      // The layout's type name comes from the SVD's groupName (TIMER), the instance's header from TIMER0.
      const header = c
        .filter((f) => f.path.startsWith('include/'))
        .map((f) => f.contents)
        .join('\n');
      expect(header).toMatch(/\b[A-Z0-9]+_TASKS_CAPTURE_WRITE\(base, 1u, /);
      expect(header).toMatch(/\b[A-Z0-9]+_CC_READ\(base, 1u\)/);
      expect(header).toContain('"EVENTS_COMPARE[0].EVENTS_COMPARE"');
      run('gcc', ['-std=c99', ...C_FLAGS, '-Iinclude', '-c', 'test/op_runner.c', '-o', 'runner.o'], materialise(c));
    });
  }

  it('CC[6] is out of range on TIMER0 (six channels): a conflict at the role, not generated code', () => {
    const device = revision('v3.7.0');
    const text = readFileSync(contractFile, 'utf8').replace('"CC[0].CC"', '"CC[6].CC"');
    const bad = loadDriverContract(text, contractFile).value!;
    const [binding] = bindContract(bad, device, { peripheral: 'TIMER0' }).value;
    const read = binding?.operations.find((o) => o.operation === 'set_compare');
    expect(read?.verdict).toBe('broken');
    expect(read?.conflicts[0]?.message).toBe('role cc: TIMER0.CC[6]: index 6 is out of range (the array has 6 elements, 0..5) [path/index-out-of-range]');
    expect(read?.conflicts[0]?.contractSpan).toMatchObject({ file: contractFile, line: 23 });
  });
});
