/**
 * Guard for import/validate speed work: prints, for every SVD under ../shared/data, a digest of the
 * imported IR (canonical JSON with spans, and the raw object in import order), the import diagnostics
 * and the validation findings. Run it against two checkouts and diff the outputs; any line that
 * differs is a behaviour change.
 *
 *     node --import tsx test/bench/ir-identity.ts /path/to/checkout > after.txt   (default: this checkout)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = (() => {
  let dir = here;
  while (!statSync(join(dir, 'package.json'), { throwIfNoEntry: false })) dir = dirname(dir);
  return dir;
})();
const checkout = process.argv[2] ?? projectRoot;
const data = join(projectRoot, '..', 'shared', 'data');

const load = (path: string) => import(pathToFileURL(join(checkout, path)).href);
const { importText } = await load('src/importers/index.ts');
const { canonicalJson } = await load('src/ir/canonical.ts');
const { validateDevice } = await load('src/validate/index.ts');

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
const json = (value: unknown): string => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

function svdFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? svdFiles(join(dir, e.name)) : /\.svd(\.patched)?(\.gz)?$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

for (const file of svdFiles(data)) {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  // The same file name on both sides, so spans compare.
  const name = relative(data, file).replace(/\.gz$/, '');
  const result = importText(text, name);
  const device = result.value;
  const ir = device ? `${digest(canonicalJson(device, { spans: true }))} ${digest(json(device))}` : 'no-device';
  const findings = device ? digest(json(validateDevice(device))) : '-';
  console.log(`${name} ir ${ir} import ${digest(json(result.diagnostics))} validate ${findings}`);
}
