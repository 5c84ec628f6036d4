import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindContract, type Binding } from '../../../src/bind/index.ts';
import { loadDriverContract } from '../../../src/contracts/index.ts';
import { importFile } from '../../../src/importers/index.ts';
import { matchesBetween } from '../../../src/pipeline/matches.ts';
import { repoRoot, sharedData } from '../../helpers/demo.ts';

const file = 'test/fixtures/contracts/stm32-usart.driver.yaml';
const contract = loadDriverContract(readFileSync(join(repoRoot, file), 'utf8'), file).value!;
const version = (v: string) => importFile(join(sharedData, 'ip-revisions/stm32-data', `${v}.yaml`)).value!;
const reference = version('usart_v2');

function bind(v: string): Binding {
  const target = version(v);
  const [b] = bindContract(contract, target, { reference, matches: matchesBetween(reference, target), peripheral: 'USART' }).value;
  return b!;
}
const verdicts = (b: Binding) => Object.fromEntries(b.operations.map((o) => [o.operation, o.verdict]));

/**
 * Expected verdicts, worked out by hand from the register maps (RM0090 vs RM0351 style USARTs):
 * v1 lacks CR1.OVER8; v3/v4 moved CR1/BRR, renamed SR to ISR and split DR into RDR (read) and
 * TDR (write), so a driver using one DR for both directions cannot bind its data role.
 */
describe('an STM32 USART contract across the IP versions of stm32-data', () => {
  it('binds unchanged to the version it was written for', () => {
    expect(new Set(Object.values(verdicts(bind('usart_v2'))))).toEqual(new Set(['unchanged']));
  });

  it('v1: init breaks on the missing OVER8 bit; byte I/O and the divider are unchanged', () => {
    const b = bind('usart_v1');
    expect(verdicts(b)).toEqual({ init: 'broken', send_byte: 'unchanged', receive_byte: 'unchanged', set_divider: 'unchanged' });
    const init = b.operations.find((o) => o.operation === 'init')!;
    expect(init.conflicts.map((c) => c.requirement)).toEqual(['role:oversample:present']);
  });

  for (const v of ['usart_v3', 'usart_v4']) {
    it(`${v}: moved BRR is adapted; SR → ISR is followed; the DR split breaks byte I/O`, () => {
      const b = bind(v);
      expect(verdicts(b)).toEqual({ init: 'adapted', send_byte: 'broken', receive_byte: 'broken', set_divider: 'adapted' });
      expect(b.roles.find((r) => r.role === 'tx_empty')?.field).toBe('ISR.TXE');
      expect(b.operations.find((o) => o.operation === 'set_divider')!.reasons.join()).toMatch(/BRR moved 0x8 → 0xC/);
      const send = b.operations.find((o) => o.operation === 'send_byte')!;
      expect(send.conflicts.some((c) => c.requirement.startsWith('role:data:'))).toBe(true);
    });
  }
});
