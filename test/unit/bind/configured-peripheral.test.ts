import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindContract, bindingDiagnostics } from '../../../src/bind/index.ts';
import { editDistance, likelyCandidates } from '../../../src/bind/candidates.ts';
import { loadConfiguration, loadDriverContract } from '../../../src/contracts/index.ts';
import { importFile } from '../../../src/importers/index.ts';
import { bindRevision } from '../../../src/pipeline/check.ts';
import { sharedData } from '../../helpers/demo.ts';

/**
 * Binding on a vendor register map that declares no kinds (RP2040 SVD from pico-sdk 2.2.0): the
 * configuration's drivers.<driver>.peripheral selects the instance, and a contract that finds no
 * peripheral of its kind lists the likely candidates and the overlay line that would fix it.
 */
const rp2040 = importFile(join(sharedData, 'svd-revisions/RP2040/RP2040@2.2.0.svd.gz')).value!;
const contractFile = 'boards/rp2040/drivers/uart.driver.yaml';
const contract = loadDriverContract(readFileSync(contractFile, 'utf8'), contractFile).value!;

describe('binding real peripherals', () => {
  it('without kinds or a configuration, reports the candidates by name and the overlay line', () => {
    const [binding] = bindContract(contract, rp2040).value;
    expect(binding?.verdict).toBe('broken');
    const conflict = binding?.operations[0]?.conflicts[0];
    expect(conflict?.message).toBe('no peripheral of kind uart in RP2040 0.1; likely candidates: UART0, UART1');
    expect(conflict?.hint).toContain('"UART*": { kind: uart }');
    // The hint reaches the diagnostic `check` and `ci` print.
    expect(bindingDiagnostics([binding!])[0]?.hint).toContain('"UART*": { kind: uart }');
  });

  it('the configured instance is the one bound, kinds or not', () => {
    const configText = `spec: specdrive/config@1
name: c
board: RP2040
revision: "0.1"
drivers: { uart: { peripheral: UART1 } }
`;
    const config = loadConfiguration(configText, 'c.yaml').value!;
    const revision = { board: 'RP2040', revision: '0.1', file: 'x.svd', device: rp2040 };
    const bindings = bindRevision([contract], [revision], revision, undefined, 'ts', [config]).value;
    expect(bindings.map((b) => b.peripheral)).toEqual(['UART1']);
    // Bound, but the bare SVD lacks what the overlay adds: the baud quantity and DATA's FIFO pop.
    const init = bindings[0]?.operations.find((o) => o.operation === 'init');
    expect(init?.reasons).toContain('quantity baud is not defined for UART1');
    const receive = bindings[0]?.operations.find((o) => o.operation === 'receive_byte');
    expect(receive?.reasons).toContain('role data relies on read-pops, and UARTDR.DATA has no side effect');
  });

  it('a configured instance the revision lacks is broken at the configuration line, with candidates', () => {
    const [binding] = bindContract(contract, rp2040, {
      peripheral: 'UART2',
      configuredAt: { file: 'c.yaml', line: 5, column: 20, endLine: 5, endColumn: 25 },
    }).value;
    const conflict = binding?.operations[0]?.conflicts[0];
    expect(conflict?.message).toBe('the configuration binds uart to UART2, which RP2040 0.1 does not have; likely candidates: UART0, UART1');
    expect(conflict?.contractSpan.file).toBe('c.yaml');
  });

  it('candidates come from groupName and edit distance too', () => {
    expect(editDistance('uart', 'usart')).toBe(1);
    const names = likelyCandidates('timer', rp2040).peripherals.map((p) => p.name);
    expect(names).toContain('TIMER');
    expect(
      likelyCandidates('spi', rp2040)
        .peripherals.map((p) => p.name)
        .slice(0, 2),
    ).toEqual(['SPI0', 'SPI1']);
    expect(likelyCandidates('spi', rp2040).overlayLine).toBe('"SPI*": { kind: spi }');
  });
});
