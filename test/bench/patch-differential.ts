import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importFile } from '../../src/importers/index.ts';
import { parseDimIndex } from '../../src/importers/svd/index.ts';
import { parseXml, type XmlElement } from '../../src/importers/xml/index.ts';
import { canonicalJson } from '../../src/ir/canonical.ts';
import { importPatchedSvd, patchSvdFile } from '../../src/patch/index.ts';

/**
 * Differential check of the patch engine against the real `svdtools patch` 0.5.0 beyond the two
 * committed oracles: stm32-rs device patches applied to every STM32 SVD in ../shared/data (other
 * releases, other parts of a family). For each pair both tools run; when both succeed the IR and
 * every derivedFrom/dim must be equal, when both fail they must fail on the same spec. Needs
 * `cargo install svdtools --version 0.5.0`; not part of `npm test` (a few minutes).
 *
 * `--dir DIR` adds every SVD in DIR whose part has a device patch (`STM32F401.svd` → stm32f401.yaml):
 * ST releases the tests never see, e.g. the STMicro folder of a cmsis-svd-data checkout.
 *
 * Run: `node --import tsx test/bench/patch-differential.ts [tag,tag...] [--dir DIR]`.
 */
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const PAIRS: readonly [tag: string, device: string, svd: string][] = [
  ['f407', 'stm32f407', 'svdtools/svd/stm32f407.svd.gz'],
  ['c031', 'stm32c031', 'svdtools/svd/stm32c031.svd.gz'],
  ['f407-st1.7', 'stm32f407', 'svd-revisions/STM32F407/STM32F407@modm-v1.7.svd.gz'],
  ['f407-st1.5', 'stm32f407', 'svd-revisions/STM32F407/STM32F407@modm-v1.5.svd.gz'],
  ['c031-st1.4', 'stm32c031', 'svd-revisions/STM32C031/STM32C031@modm-v1.4.svd.gz'],
  ['c031-st1.0', 'stm32c031', 'svd-revisions/STM32C031/STM32C031@modm-v1.0.svd.gz'],
  ['f405-on-f407', 'stm32f405', 'svdtools/svd/stm32f407.svd.gz'],
  ['f417-on-f407', 'stm32f417', 'svdtools/svd/stm32f407.svd.gz'],
  ['c011-on-c031', 'stm32c011', 'svdtools/svd/stm32c031.svd.gz'],
  ['h563', 'stm32h563', 'svd/STM32H563.svd.gz'],
  ['h743', 'stm32h743', 'svd/STM32H743.svd.gz'],
  ['h743-st1.7', 'stm32h743', 'svd-revisions/STM32H743/STM32H743@modm-v1.7.svd.gz'],
  ['h750-on-h743', 'stm32h750', 'svd/STM32H743.svd.gz'],
  ['n657', 'stm32n657', 'svd/STM32N657.svd.gz'],
];

const text = (e: XmlElement, local: string): string | undefined => e.children.find((c) => c.local === local)?.text.trim();

function facts(root: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (e: XmlElement, path: string): void => {
    const index = text(e, 'dimIndex');
    const fact = [
      e.attributes?.['derivedFrom'] ?? '',
      text(e, 'dim') ?? '',
      String(Number(text(e, 'dimIncrement') ?? 'NaN')),
      index !== undefined ? (parseDimIndex(index) ?? []).join(',') : '',
    ].join('|');
    if (fact !== '||NaN|') out.set(path, fact);
    let i = 0;
    for (const c of e.children) {
      if (['peripherals', 'registers', 'fields'].includes(c.local)) visit(c, path);
      else if (['peripheral', 'cluster', 'register', 'field'].includes(c.local)) visit(c, `${path}/${text(c, 'name')}`);
      else if (c.local === 'enumeratedValues') visit(c, `${path}/#${i++}`);
    }
  };
  visit(root, '');
  return out;
}

function svdtoolsFailure(patch: string): string | undefined {
  try {
    execFileSync('svdtools', ['patch', patch], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RUST_BACKTRACE: '0' } });
    return undefined;
  } catch (error) {
    const lines = String((error as { stderr?: unknown }).stderr ?? error)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d+: /.test(l));
    return lines.slice(-2).join(' / ').slice(0, 160);
  }
}

const dirAt = process.argv.indexOf('--dir');
const dir = dirAt > 0 ? process.argv[dirAt + 1] : undefined;
const only = process.argv
  .slice(2)
  .find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--dir')
  ?.split(',');
/** Pairs from --dir: SVD files named after a part that has a device patch, by absolute path. */
const devices = new Set(readdirSync(join(DATA, 'svdtools', 'devices')).map((f) => f.replace(/\.yaml$/, '')));
const fromDir: [string, string, string][] = dir
  ? readdirSync(dir)
      .sort()
      .map((f) => [f.toLowerCase().replace(/\.svd(\.gz)?$/, ''), f] as const)
      .filter(([part, f]) => /\.svd(\.gz)?$/i.test(f) && devices.has(part))
      .map(([part, f]) => [`dir-${part}`, part, join(dir, f)])
  : [];
const work = mkdtempSync(join(tmpdir(), 'patch-differential-'));
try {
  cpSync(join(DATA, 'svdtools', 'devices'), join(work, 'devices'), { recursive: true });
  cpSync(join(DATA, 'svdtools', 'svd'), join(work, 'svd'), { recursive: true });
  for (const [tag, device, svd] of [...(dir ? [] : PAIRS), ...fromDir]) {
    if (only && !only.includes(tag)) continue;
    const patch = join(work, 'devices', `pair-${tag}.yaml`);
    writeFileSync(patch, readFileSync(join(work, 'devices', `${device}.yaml`), 'utf8').replace(/^_svd:.*$/m, `_svd: ../svd/pair-${tag}.svd`));
    const bytes = readFileSync(svd.startsWith('/') ? svd : join(DATA, svd));
    writeFileSync(join(work, 'svd', `pair-${tag}.svd`), svd.endsWith('.gz') ? gunzipSync(bytes) : bytes);
    const theirs = svdtoolsFailure(patch);
    const mine = importPatchedSvd(patch);
    const error = mine.diagnostics.find((d) => d.severity === 'error');
    if (theirs !== undefined || error) {
      const where = error ? `${error.code} ${error.span?.file.split('/').slice(-2).join('/')}:${error.span?.line}:${error.span?.column}` : 'ok';
      console.log(`${tag.padEnd(14)} svdtools: ${theirs ?? 'ok'}\n${''.padEnd(14)} specdrive: ${where} ${error?.message.slice(0, 120) ?? ''}`);
      continue;
    }
    const reference = importFile(join(work, 'svd', `pair-${tag}.svd.patched`));
    const sameIr = canonicalJson(mine.value!) === canonicalJson(reference.value!);
    const a = facts(patchSvdFile(patch).tree!.root);
    const b = facts(
      parseXml(readFileSync(join(work, 'svd', `pair-${tag}.svd.patched`), 'utf8'), 'ref', { maxBytes: 1 << 30, maxDepth: 64, maxElements: 1 << 26 }).value!
        .root,
    );
    const treeDifferences = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    console.log(
      `${tag.padEnd(14)} both patch; IR ${sameIr ? 'identical' : 'DIFFERS'}; derivedFrom/dim facts ${a.size}, differences ${treeDifferences.length} ${treeDifferences.slice(0, 3).join(' ')}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
