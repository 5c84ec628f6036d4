/**
 * CPU of the import and of validation of one spec file, cold (one run per process), for a checkout:
 * main-thread CPU (from /proc/thread-self/schedstat, Linux) beside the whole process's (every thread:
 * the collector's helpers and TurboFan compile there). Run it on two checkouts alternately and
 * compare medians; one JSON line per run.
 *
 *     node --import tsx test/bench/import-phases.ts /path/to/checkout /tmp/STM32N657.svd
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [checkout = process.cwd(), file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: import-phases.ts CHECKOUT FILE');
const load = (path: string) => import(pathToFileURL(join(checkout, path)).href);
const { importText } = await load('src/importers/index.ts');
const { validateDevice } = await load('src/validate/index.ts');
const text = readFileSync(file, 'utf8');
const mainThreadMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const processMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const start = process.cpuUsage();
const t0 = mainThreadMs();
const imported = importText(text, file);
const t1 = mainThreadMs();
const importAll = processMs(start);
const findings = validateDevice(imported.value);
const t2 = mainThreadMs();
const total = processMs(start);
console.log(JSON.stringify({ importMain: t1 - t0, importAll, validateMain: t2 - t1, validateAll: total - importAll, findings: findings.length }));
