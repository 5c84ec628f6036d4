import { pathToFileURL } from 'node:url';
import { copyBoardProject, removeProject } from '../e2e/helpers/project-copy.ts';
import { coldAndWarm, formatRows, type BenchRow } from './pipeline-bench.ts';

/**
 * `specdrive ci` cold (`--fresh`) and warm (cached) on each real-chip project of `boards/`
 * (docs/real-chips.md): vendor SVDs from ../shared/data, overlay, every target compiled and every
 * scenario run over a pty. A cold run takes about a minute, so one run each unless BENCH_RUNS says
 * otherwise (--full: three).
 */
const PROJECTS: readonly { name: string; label: string }[] = [
  { name: 'rp2040', label: 'RP2040 (3 pico-sdk SVDs)' },
  { name: 'stm32f407', label: 'STM32F407 (ST SVD 1.5, 1.7 + stm32-rs patch)' },
  { name: 'nrf52840', label: 'nRF52840 (3 nrfx SVDs, UART0 + TIMER0)' },
];

export async function runRealChipsBench(): Promise<BenchRow[]> {
  const runs = Number(process.env.BENCH_RUNS ?? (process.argv.includes('--full') ? 3 : 1));
  const rows: BenchRow[] = [];
  for (const p of PROJECTS) {
    const dir = copyBoardProject(p.name);
    try {
      rows.push(...(await coldAndWarm(p.label, dir, runs)));
    } finally {
      removeProject(dir);
    }
  }
  return rows;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) console.log(formatRows(await runRealChipsBench()));
