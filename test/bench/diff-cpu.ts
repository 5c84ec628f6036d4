/**
 * In-process diff CPU time (user + system, median of N=5 after one warm-up): STM32H743 1.7 → 2.4 and
 * STM32N657 against a seeded mutation. CPU time, not wall time, so that runs on the shared machine can
 * be compared across checkouts: copy this file into an older checkout (it calls `prepareMatcher` where
 * that still exists) and run it there and here in turn: `node --import tsx test/bench/diff-cpu.ts`.
 * SKIP_N657=1 skips the large case.
 */
import { importFile } from '../../src/importers/index.ts';
import * as diff from '../../src/diff/index.ts';
import { mutateDevice } from '../../src/diff/matcher/mutate.ts';
import type { Device } from '../../src/ir/types.ts';
import { loadavg } from 'node:os';
const maybeAsync = diff as { prepareMatcher?: () => Promise<unknown> };
if (maybeAsync.prepareMatcher) await maybeAsync.prepareMatcher();
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const load = (f: string) => importFile(DATA + f).value!;
const N = Number(process.env.N ?? 5);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (a: Device, b: Device): number => {
  diff.diffDevices(a, b);
  const xs: number[] = [];
  for (let i = 0; i < N; i++) {
    const c0 = process.cpuUsage();
    diff.diffDevices(a, b);
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / 1000);
  }
  return med(xs);
};
const h = time(load('svd-revisions/STM32H743/STM32H743@modm-v1.7.svd.gz'), load('svd-revisions/STM32H743/STM32H743@modm-v2.4.svd.gz'));
let n = NaN;
if (!process.env.SKIP_N657) {
  const n657 = load('svd/STM32N657.svd.gz');
  n = time(n657, mutateDevice(n657, 42, { rename: 0.02, move: 0.01, resize: 0.01, remove: 0.005, add: 0.005, describe: 0.05, split: 0.002 }).device);
}
console.log(`${process.cwd().split('/').pop()} h743 ${h.toFixed(0)} n657 ${n.toFixed(0)} load ${loadavg()[0]!.toFixed(1)}`);
