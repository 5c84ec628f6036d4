import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { diffDevices, pathMap, type ChangeSet, type Change } from '../../../src/diff/index.ts';

/** Real vendor revision pairs from ../shared/data: the known changes must be found and named. */
const DATA = new URL('../../../../shared/data/', import.meta.url).pathname;

async function diffFiles(before: string, after: string): Promise<ChangeSet> {
  const a = importFile(DATA + before);
  const b = importFile(DATA + after);
  expect(a.value, JSON.stringify(a.diagnostics.slice(0, 2))).toBeDefined();
  expect(b.value, JSON.stringify(b.diagnostics.slice(0, 2))).toBeDefined();
  return diffDevices(a.value!, b.value!).value!;
}

const find = (cs: ChangeSet, rule: string, before?: string, after?: string): Change | undefined =>
  cs.changes.find((c) => c.rule === rule && (before === undefined || c.before?.path === before) && (after === undefined || c.after?.path === after));

describe('real revision pairs', () => {
  it('RP2040 1.5.1 → 2.0.0: peripheral renames and case renames as renames', async () => {
    const cs = await diffFiles('svd-revisions/RP2040/RP2040@1.5.1.svd.gz', 'svd-revisions/RP2040/RP2040@2.0.0.svd.gz');
    expect(find(cs, 'peripheral-renamed', 'XIP_SSI', 'SSI')).toBeDefined();
    expect(find(cs, 'peripheral-renamed', 'USBCTRL_REGS', 'USB')).toBeDefined();
    const fieldRenames = cs.changes.filter((c) => c.rule === 'field-renamed');
    const caseOnly = fieldRenames.filter((c) => c.before!.path.split('.').pop()!.toLowerCase() === c.after!.path.split('.').pop()!.toLowerCase());
    expect(caseOnly.length).toBeGreaterThanOrEqual(280);
    // Not removed and re-added.
    expect(cs.changes.filter((c) => c.rule === 'field-removed')).toHaveLength(0);
    expect(pathMap(cs).get('XIP_SSI.CTRLR0')).toBe('SSI.CTRLR0');
  });

  it('nRF54L15 engineering sample → production: CRACEN SEED move, SEEDRAMLOCK, RADIO.TXPOWER widened', async () => {
    const cs = await diffFiles('svd-revisions/nRF54L15/nrf54l15_enga_application@v3.6.0.svd.gz', 'svd-revisions/nRF54L15/nrf54l15_application@v3.6.0.svd.gz');
    const seed = find(cs, 'register-moved', 'GLOBAL_CRACEN_S.SEED', 'GLOBAL_CRACEN_S.SEED');
    expect(seed?.before?.value).toBe('0x408');
    expect(seed?.after?.value).toBe('0x410');
    // SEEDRAMLOCK: SEEDVALID took its address, SEEDLOCK took its name, fields and wording. Name and
    // address disagree, so the pairing must be reported as uncertain with the other candidate named.
    const lock = cs.matches.find((m) => m.before === 'GLOBAL_CRACEN_S.SEEDRAMLOCK')!;
    expect(lock.uncertain).toBe(true);
    expect([lock.after, ...(lock.alternatives ?? [])].sort()).toEqual(['GLOBAL_CRACEN_S.SEEDLOCK', 'GLOBAL_CRACEN_S.SEEDVALID']);
    for (const radio of ['GLOBAL_RADIO_NS', 'GLOBAL_RADIO_S']) {
      const txpower = find(cs, 'field-widened', `${radio}.TXPOWER.TXPOWER`);
      expect(txpower?.before?.value).toBe(9);
      expect(txpower?.after?.value).toBe(11);
    }
  });

  it('STM32 usart v2 → v3 (chiptool): status and data registers re-laid out', async () => {
    const cs = await diffFiles('ip-revisions/stm32-data/usart_v2.yaml', 'ip-revisions/stm32-data/usart_v3.yaml');
    expect(find(cs, 'register-renamed', 'USART.SR', 'USART.ISR')).toBeDefined();
    // DR (read-write) is split into RDR (read) and TDR (write): either continues it, so the pairing
    // must be uncertain with the other named.
    const dr = cs.matches.find((m) => m.before === 'USART.DR')!;
    expect(dr.uncertain).toBe(true);
    expect([dr.after, ...(dr.alternatives ?? [])].sort()).toEqual(['USART.RDR', 'USART.TDR']);
    expect(find(cs, 'register-moved', 'USART.CR1', 'USART.CR1')?.after?.value).toBe('0x0');
    expect(find(cs, 'field-moved', 'USART.CR1.UE', 'USART.CR1.UE')).toBeDefined();
    expect(find(cs, 'register-added', undefined, 'USART.ICR')).toBeDefined();
  });
});
