import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { EVALUATED_CHIPS, IpFamilies, fileFamily, readLabelInfo, trainingPlan } from '../../../src/diff/matcher/split.ts';
import { committedWeights } from '../../../src/diff/matcher/model.ts';
import { existsSync, readdirSync } from 'node:fs';

/** The matcher's training never sees an IP family or chip that is evaluated (issue 15). */
const DATA = new URL('../../../../shared/data/', import.meta.url).pathname;
const LABELS = new URL('../../fixtures/diff-labels/', import.meta.url).pathname;

describe('matcher train/evaluation split', () => {
  const plan = trainingPlan(DATA, LABELS);
  const families = IpFamilies.fromData(DATA);
  const labels = readLabelInfo(LABELS);

  it('holds out the family of every labelled pair and of every peripheral a label touches', () => {
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) {
      for (const change of label.changes) {
        for (const path of [change.before, change.after]) {
          if (!path) continue;
          for (const f of families.familiesOf(path.split('.')[0]!)) expect(plan.heldOutFamilies.has(f), `${path} (${f})`).toBe(true);
        }
      }
    }
    for (const f of ['usart', 'spi', 'timer', 'i2c', 'rtc', 'dma', 'lptim']) expect(plan.heldOutFamilies.has(f)).toBe(true);
  });

  it('knows UARTs, SPIs and timers under other vendors names', () => {
    expect([...families.familiesOf('USART2')]).toEqual(['usart']);
    expect([...families.familiesOf('UART0')]).toEqual(['usart']);
    expect([...families.familiesOf('GLOBAL_UARTE20_NS')]).toEqual(['usart']);
    expect([...families.familiesOf('SPI3')]).toEqual(['spi']);
    expect([...families.familiesOf('TIMG1')]).toEqual(['timer']);
    expect(families.familiesOf('FMC').has('fsmc')).toBe(true);
  });

  it('trains on no chiptool file of a held-out family, and evaluates every one of them', () => {
    for (const file of plan.chiptoolFiles) expect(plan.heldOutFamilies.has(fileFamily(basename(file))), file).toBe(false);
    const all = readdirSync(join(DATA, 'ip-revisions/stm32-data')).filter((f) => f.endsWith('.yaml'));
    expect(plan.chiptoolFiles.length + plan.heldOutChiptoolFiles.length).toBe(all.length);
    expect(plan.heldOutChiptoolFiles.map((f) => basename(f))).toEqual(expect.arrayContaining(['usart_v2.yaml', 'usart_v3.yaml', 'spi_v2_i2s.yaml']));
  });

  it('trains on no evaluated chip, and on no peripheral of a held-out family in the chips it uses', { timeout: 300_000 }, () => {
    const chips = plan.svd.map((c) => c.chip.toLowerCase());
    for (const chip of EVALUATED_CHIPS) expect(chips).not.toContain(chip.toLowerCase());
    for (const label of labels) if (label.family.startsWith('chip:')) expect(chips).not.toContain(label.family.slice(5).toLowerCase());
    for (const c of plan.svd) {
      if (!existsSync(c.file)) continue;
      const device = importFile(c.file).value!;
      const kept = device.peripherals.filter((p) => !c.dropPeripheral(p.name));
      expect(kept.length, c.chip).toBeGreaterThan(0);
      for (const p of kept) for (const f of families.familiesOf(p.name)) expect(plan.heldOutFamilies.has(f), `${c.chip}.${p.name} (${f})`).toBe(false);
    }
  });

  it('the committed weights were trained with this split', () => {
    const training = committedWeights().weights?.training as { heldOutFamilies?: string[]; trainChips?: string[] } | undefined;
    expect(training?.heldOutFamilies).toEqual([...plan.heldOutFamilies].sort());
    expect(training?.trainChips).toEqual(plan.svd.map((c) => c.chip));
  });
});
