/** Child side of isolate.ts: `node --import tsx child.ts <case> <json args>`. */
import { hostileCases } from './cases.ts';
import { cpuNow } from '../cpu-time.ts';

const [name, rawArgs] = process.argv.slice(2);
const build = hostileCases[name ?? ''];
if (!build) {
  console.error(`unknown hostile case ${name}`);
  process.exit(2);
}
const run = await build(JSON.parse(rawArgs ?? '{}'));
// Settle the heap after building the input so its garbage is not charged to the stage.
(globalThis as { gc?: () => void }).gc?.();
const before = process.resourceUsage().maxRSS;
const start = performance.now();
const cpuStart = cpuNow();
const result = await run();
const ms = performance.now() - start;
const cpuMs = cpuNow() - cpuStart;
const peakGrowthMb = (process.resourceUsage().maxRSS - before) / 1024;
const diagnostics = result.diagnostics;
const dump = JSON.stringify({ value: result.value, diagnostics }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))?.slice(0, 200_000) ?? '';
console.log(
  JSON.stringify({
    codes: diagnostics.map((d) => d.code),
    spans: diagnostics.filter((d) => d.severity === 'error').map((d) => (d.span ? `${d.span.line}:${d.span.column}` : 'none')),
    messages: diagnostics.map((d) => d.message.slice(0, 300)),
    valueDefined: result.value !== undefined,
    ms,
    cpuMs,
    peakGrowthMb,
    dump,
  }),
);
