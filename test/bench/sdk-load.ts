/**
 * How much it costs to load the generated SDKs of a big chip (docs/performance.md, "SDK loading"):
 *   node --import tsx test/bench/sdk-load.ts [SVD under ../shared/data/svd] [PERIPHERAL]
 * (defaults STM32H743.svd.gz and USART1). Generates the TypeScript and Python SDKs into a temporary
 * folder, then times, each in a fresh process:
 *   - Python: `from PKG import PERIPHERAL` and `import PKG` plus touching every peripheral, cold
 *     (no __pycache__: the first import after install) and warm (byte code cached);
 *   - TypeScript: `tsc --noEmit` of a program using one peripheral, and of the whole package.
 * Works on both SDK layouts: one device module (before the per-peripheral split) and the split one.
 * Figures are CPU seconds (user + system) of each child, median of 3.
 * Not part of `npm run bench` (tsc of the whole H743 package alone takes minutes); run it by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildGeneratorModel, generatorFor, renderTarget, type GeneratedFile } from '../../generators/index.ts';
import { importFile } from '../../src/importers/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const svd = process.argv[2] ?? 'STM32H743.svd.gz';
const peripheral = process.argv[3] ?? 'USART1';

function write(dir: string, files: readonly GeneratedFile[]): void {
  for (const f of files) {
    const target = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.contents);
  }
}

/**
 * CPU seconds (user + system, from /usr/bin/time) of a child process, median of RUNS: on a shared,
 * loaded machine wall time mostly measures the other processes.
 */
const RUNS = 3;
function seconds(command: string, args: readonly string[], cwd: string, before?: () => void, env: NodeJS.ProcessEnv = process.env): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const run = spawnSync('/usr/bin/time', ['-f', 'SDCPU %U %S', command, ...args], { cwd, encoding: 'utf8', env });
    const cpu = /SDCPU ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr);
    if (run.status !== 0 || !cpu) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
    samples.push(Number(cpu[1]) + Number(cpu[2]));
  }
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const device = importFile(join(ROOT, '..', 'shared', 'data', 'svd', svd)).value;
if (!device) throw new Error(`cannot import ${svd}`);
const model = buildGeneratorModel(device);
const work = join(tmpdir(), `sdk-load-${process.pid}`);
rmSync(work, { recursive: true, force: true });
const results: Record<string, string> = { svd, peripheral, load: loadavg()[0]!.toFixed(1) };
for (const target of ['python', 'ts'] as const) {
  const rendered = renderTarget(generatorFor(target)!, model, {});
  if (!rendered.value) throw new Error(`${target} failed`);
  write(join(work, target), rendered.value);
}

// Python: the package folder is the one holding _runtime.py.
const pyRoot = join(work, 'python');
const pkg = execFileSync('sh', ['-c', 'ls */_runtime.py'], { cwd: pyRoot, encoding: 'utf8' }).split('/')[0]!;
const split = existsSync(join(pyRoot, pkg, '_layouts'));
const one = split ? `from ${pkg} import ${peripheral}` : `from ${pkg}.device import Device`; // before the split, one peripheral meant the whole device module
const whole = `import ${pkg}; from ${pkg} import Device; d = Device(None); [getattr(d, n) for n in dir(d) if not n.startswith('_')]`;
const clearCache = (): void => void execFileSync('sh', ['-c', 'find . -name __pycache__ -prune -exec rm -rf {} +'], { cwd: pyRoot });
for (const [label, code] of [
  ['py one peripheral', one],
  ['py whole package', whole],
] as const) {
  // Cold: compiled from source (no __pycache__, none written). Warm: byte code cached, as after `pip install`.
  results[`${label} cold cpu s`] = seconds('python3', ['-c', code], pyRoot, clearCache, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }).toFixed(2);
  const caching = { ...process.env };
  delete caching.PYTHONDONTWRITEBYTECODE;
  execFileSync('python3', ['-c', code], { cwd: pyRoot, env: caching, stdio: 'ignore' });
  results[`${label} warm cpu s`] = seconds('python3', ['-c', code], pyRoot, undefined, caching).toFixed(2);
}
results['python start-up cpu s'] = seconds('python3', ['-c', 'pass'], pyRoot).toFixed(2);

// TypeScript: a program beside src/, checked on its own (tsconfig `files`), as a consumer's build would.
const tsRoot = join(work, 'ts');
symlinkSync(join(ROOT, 'node_modules'), join(tsRoot, 'node_modules'));
const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
const splitTs = existsSync(join(tsRoot, 'src', 'peripherals'));
writeFileSync(
  join(tsRoot, 'program.ts'),
  splitTs
    ? `import { ${peripheral} } from './src/peripherals/${peripheral}.ts';\nimport type { RegisterIo } from './src/runtime/register.ts';\nexport const use = (io: RegisterIo) => ${peripheral}(io);\n`
    : `import { createDevice } from './src/device.ts';\nimport type { RegisterIo } from './src/runtime/register.ts';\nexport const use = (io: RegisterIo) => createDevice(io).${peripheral};\n`,
);
const compilerOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  lib: ['ES2022'],
};
writeFileSync(join(tsRoot, 'tsconfig.program.json'), JSON.stringify({ compilerOptions, files: ['program.ts'] }));
results['tsc one-peripheral program cpu s'] = seconds(tsc, ['-p', 'tsconfig.program.json'], tsRoot).toFixed(2);
results['tsc --noEmit whole package cpu s'] = seconds(tsc, ['-p', '.', '--noEmit'], tsRoot).toFixed(2);
results['tsc build whole package (with declarations) cpu s'] = seconds(tsc, ['-p', '.', '--outDir', 'dist-bench'], tsRoot).toFixed(2);
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
