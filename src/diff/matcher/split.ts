import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The matcher's train/evaluation split, by IP identity across chiptool files and SVDs: an IP family
 * that is evaluated (the hand-labelled real pairs in test/fixtures/diff-labels, the real-pair tests,
 * the synthetic held-out evaluation) never reaches training in any form — not as a chiptool block,
 * not as a peripheral of a training chip's SVD. Chips with evaluated revision pairs are not trained
 * on at all.
 *
 * IP identity of a peripheral comes from stm32-data's perimap.tsv (peripheral kind → register file,
 * the first matching row wins), then from a small table of names other vendors use for the same
 * kinds of IP (UART0 on an ESP32 is a UART), then from the name itself.
 */

/** IP families evaluated besides those of the labelled pairs: the synthetic held-out set of train.ts. */
export const SYNTHETIC_EVALUATION_FAMILIES = ['usart', 'spi', 'timer', 'i2c', 'rtc', 'dma', 'lptim'] as const;

/**
 * Families reserved for the next held-out label round before anyone labels it. Held out of training
 * from the moment they are reserved, so the weights that round is measured with never saw them, and
 * the labels can be written while the diff is being changed elsewhere. Session 7 (`held-out-6`: the
 * nRF52840, nRF54L15, RP2040 and STM32H743 releases no label has used, and ST's STM32C031/F407 SVDs
 * against stm32-rs's patched ones): every family a peripheral that differs between the two files of
 * such a pair may stand for and that was still trained on. The held-out-5 families reserved in
 * session 6 are evaluated through their label files now.
 */
export const RESERVED_EVALUATION_FAMILIES = [
  'cryp',
  'dbgmcu',
  'dcmi',
  'hash',
  'icache',
  'mdios',
  'pwr',
  'sdmmc',
  'syscfg',
  'wdt',
] as const;

/** Chips whose SVD revisions are evaluated (real-pair tests, labelled pairs, synthetic held-out chips). */
export const EVALUATED_CHIPS = ['RP2040', 'nrf52840', 'nrf54l15_application', 'STM32F407', 'STM32H743', 'STM32C031'] as const;

/**
 * SVDs in ../shared/data/svd that may be trained on (their evaluated families removed). STM32N657 (the
 * bench input; no revision of it is evaluated) joined in session 6, when reserving the held-out-5
 * families took most chiptool files out of training.
 */
export const TRAINING_CHIPS = ['STM32H563', 'esp32c3', 'esp32s3', 'ATSAMD21G18A', 'STM32N657'] as const;

/** Names other vendors (and OpenTitan) give the same IP kinds, tested after perimap. */
const GENERIC_FAMILIES: readonly [RegExp, string][] = [
  [/^(LP)?U(S)?ART|^UART|^SERIAL|^SCI\d*$/i, 'usart'],
  [/^LPTIM/i, 'lptim'],
  [/^(Q|OCTO|HS|X)?SPI|^SPI_?HOST|^I2S/i, 'spi'],
  [/^(FMP)?I2C|^TWI/i, 'i2c'],
  [/^(HR)?TIM(ER)?G?\d*$|^TIM_|^TIMER|^TC\d*$|^TCC\d*$|^SYSTIMER|^RTC_?CNTL/i, 'timer'],
  [/^RTC/i, 'rtc'],
  [/^(G|B|GP|M|LP)?DMA|^DMAC/i, 'dma'],
];

interface PerimapRow {
  readonly peripheral: RegExp;
  readonly family: string;
}

/** `usart_v4.yaml` → `usart`; `rcc_f4.yaml` → `rcc`. */
export function fileFamily(file: string): string {
  return file.replace(/\.yaml$/, '').replace(/_.*$/, '');
}

/** Folds the few family names that are one IP under two spellings. */
function canonical(family: string): string {
  if (family === 'uart' || family === 'lpuart') return 'usart';
  if (family === 'spi_host' || family === 'i2s') return 'spi';
  return family;
}

export class IpFamilies {
  readonly #rows: readonly PerimapRow[];

  constructor(perimapText: string) {
    this.#rows = perimapText
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .flatMap((line): PerimapRow[] => {
        const [key, file] = line.split('\t');
        // CHIP:PERIPHERAL:VERSION, with a fourth part on a few rows (`.*:.*:COMP:.*`, `.*:BSEC:.*:bsec2.*`).
        const parts = key?.split(':') ?? [];
        const peripheral = parts[1] === '.*' && parts.length === 4 ? parts[2] : parts[1];
        if (!peripheral || peripheral === '.*' || !file) return [];
        try {
          return [{ peripheral: new RegExp(`^(?:${peripheral})$`), family: fileFamily(file) }];
        } catch {
          return [];
        }
      });
  }

  static fromData(dataDir: string): IpFamilies {
    return new IpFamilies(readFileSync(join(dataDir, 'ip-revisions/stm32-data/perimap.tsv'), 'utf8'));
  }

  /**
   * The IP families a peripheral name may stand for (`USART3`, `GLOBAL_UARTE20_NS`, `uart`): every
   * perimap row whose peripheral pattern matches (FMC is `fmc` on some chips and `fsmc` on others),
   * else the generic table, else the name without its instance number.
   */
  familiesOf(peripheralName: string): Set<string> {
    // Secure and non-secure aliases are the same IP: `GLOBAL_UARTE20_NS`, `ADF_S` (N657), `SEC_USART1` (H563).
    const name = peripheralName.replace(/^(GLOBAL_|SEC_)/, '').replace(/_(S|NS)$/, '');
    const bare = name.replace(/\d+$/, '');
    const out = new Set<string>();
    for (const row of this.#rows) if (row.peripheral.test(name) || row.peripheral.test(bare)) out.add(canonical(row.family));
    if (out.size > 0) return out;
    for (const [pattern, family] of GENERIC_FAMILIES) if (pattern.test(name)) return new Set([family]);
    return new Set([canonical(bare.toLowerCase())]);
  }
}

export interface LabelledPairInfo {
  readonly family: string;
  readonly changes: readonly { readonly before?: string; readonly after?: string }[];
  readonly ambiguous?: readonly { readonly before: string; readonly candidates: readonly string[] }[];
}

/**
 * Label files (test/fixtures/diff-labels) as the split needs them: their family and touched paths.
 * Every label file, whatever its `labelled:` group: a held-out set is evaluated like any other.
 */
export function readLabelInfo(labelDir: string): LabelledPairInfo[] {
  if (!existsSync(labelDir)) return [];
  return readdirSync(labelDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(labelDir, f), 'utf8')) as LabelledPairInfo);
}

/**
 * Every evaluated IP family: the synthetic held-out families, those reserved for a coming label round, each labelled IP pair's family
 * (`ip:opentitan-uart` → usart), and the family of every peripheral a labelled change touches in a
 * chip pair (STM32F407's FSMC, SPI4, LTDC…).
 */
export function evaluatedFamilies(families: IpFamilies, labels: readonly LabelledPairInfo[]): Set<string> {
  const out = new Set<string>([...SYNTHETIC_EVALUATION_FAMILIES, ...RESERVED_EVALUATION_FAMILIES]);
  for (const label of labels) {
    if (label.family.startsWith('ip:')) {
      // `ip:VENDOR-KIND` (`ip:opentitan-spi_host`, `ip:stm32-lptim`): the kind, and what it is known as.
      const kind = label.family.slice(3).replace(/^.*-/, '');
      out.add(canonical(kind));
      for (const f of families.familiesOf(kind.toUpperCase())) out.add(f);
    }
    for (const path of touchedPaths(label)) for (const f of families.familiesOf(path.split('.')[0]!)) out.add(f);
  }
  return out;
}

/** Every path a label names: its changes' both sides, and the ambiguous pairings' nodes and candidates. */
function touchedPaths(label: LabelledPairInfo): string[] {
  const out: string[] = [];
  for (const change of label.changes) for (const path of [change.before, change.after]) if (path) out.push(path);
  for (const a of label.ambiguous ?? []) out.push(a.before, ...a.candidates);
  return out;
}

/** Chips whose revisions a label compares (`chip:nRF54L15`), lower case. */
export function labelledChips(labels: readonly LabelledPairInfo[]): Set<string> {
  return new Set(labels.filter((l) => l.family.startsWith('chip:')).map((l) => l.family.slice(5).toLowerCase()));
}

export interface TrainingPlan {
  readonly heldOutFamilies: ReadonlySet<string>;
  /** chiptool files trained on (their family is not held out). */
  readonly chiptoolFiles: readonly string[];
  /** chiptool files evaluated only. */
  readonly heldOutChiptoolFiles: readonly string[];
  /** Chips trained on, with the peripherals removed because their family is held out. */
  readonly svd: readonly { readonly chip: string; readonly file: string; readonly dropPeripheral: (name: string) => boolean }[];
}

export function trainingPlan(dataDir: string, labelDir: string): TrainingPlan {
  const families = IpFamilies.fromData(dataDir);
  const labels = readLabelInfo(labelDir);
  const heldOutFamilies = evaluatedFamilies(families, labels);
  const chipsEvaluated = labelledChips(labels);
  const folder = join(dataDir, 'ip-revisions/stm32-data');
  const all = readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const heldOut = (file: string): boolean => heldOutFamilies.has(canonical(fileFamily(file)));
  return {
    heldOutFamilies,
    chiptoolFiles: all.filter((f) => !heldOut(f)).map((f) => join(folder, f)),
    heldOutChiptoolFiles: all.filter(heldOut).map((f) => join(folder, f)),
    svd: TRAINING_CHIPS.map((chip) => ({ chip, file: join(dataDir, 'svd', `${chip}.svd.gz`) }))
      .filter((c) => existsSync(c.file) && !chipsEvaluated.has(c.chip.toLowerCase()))
      .map((c) => ({ ...c, dropPeripheral: (name: string) => [...families.familiesOf(name)].some((f) => heldOutFamilies.has(f)) })),
  };
}
