import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { EVALUATED_CHIPS, IpFamilies, RESERVED_EVALUATION_FAMILIES, fileFamily, readLabelInfo, trainingPlan } from '../../../src/diff/matcher/split.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      const paths = [...label.changes.flatMap((c) => [c.before, c.after]), ...(label.ambiguous ?? []).flatMap((a) => [a.before, ...a.candidates])];
      for (const path of paths) {
        if (!path) continue;
        for (const f of families.familiesOf(path.split('.')[0]!)) expect(plan.heldOutFamilies.has(f), `${path} (${f})`).toBe(true);
      }
    }
    for (const f of ['usart', 'spi', 'timer', 'i2c', 'rtc', 'dma', 'lptim']) expect(plan.heldOutFamilies.has(f)).toBe(true);
    // Reserved for a label round before it is labelled: out of training already.
    for (const f of RESERVED_EVALUATION_FAMILIES) expect(plan.heldOutFamilies.has(f), f).toBe(true);
    expect(plan.chiptoolFiles.some((file) => basename(file).startsWith('adc_'))).toBe(false);
  });

  it('reads every label file whatever its group, and holds out what each names', () => {
    // One label file per group (a new held-out round, the first, independent, drafted), each naming
    // a family no other names — in its changes, its ambiguous pairings or its `ip:` family — and
    // one comparing revisions of a chip otherwise trained on.
    const dir = mkdtempSync(join(tmpdir(), 'split-labels-'));
    try {
      const write = (file: string, text: string): void => writeFileSync(join(dir, file), text);
      write('a.yaml', 'family: chip:X\nlabelled: held-out-2\nchanges:\n  - rule: register-added\n    after: FMAC.CR\n    evidence: x\n');
      write('b.yaml', 'family: ip:acme-sai\nlabelled: held-out\nchanges: []\n');
      write('c.yaml', 'family: chip:Y\nlabelled: independent\nchanges: []\nambiguous:\n  - before: CAN1.MCR\n    candidates: [COMP1.CSR]\n    evidence: x\n');
      write('d.yaml', 'family: chip:ATSAMD21G18A\nchanges:\n  - rule: field-removed\n    before: OPAMP.CSR.EN\n    evidence: x\n');
      const before = trainingPlan(DATA, join(dir, 'none'));
      const tmp = trainingPlan(DATA, dir);
      expect(readLabelInfo(dir)).toHaveLength(4);
      for (const f of ['fmac', 'sai', 'can', 'comp', 'opamp']) {
        expect(before.heldOutFamilies.has(f), f).toBe(false);
        expect(tmp.heldOutFamilies.has(f), f).toBe(true);
      }
      expect(before.svd.map((c) => c.chip)).toContain('ATSAMD21G18A');
      expect(tmp.svd.map((c) => c.chip)).not.toContain('ATSAMD21G18A');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows UARTs, SPIs and timers under other vendors names', () => {
    expect([...families.familiesOf('USART2')]).toEqual(['usart']);
    // Secure aliases are the same IP (STM32H563 `SEC_USART1`, STM32N657 `ADF_S`, nRF `GLOBAL_UARTE20_NS`).
    expect([...families.familiesOf('SEC_USART1')]).toEqual(['usart']);
    expect([...families.familiesOf('SEC_GPIOA')]).toEqual([...families.familiesOf('GPIOA')]);
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
