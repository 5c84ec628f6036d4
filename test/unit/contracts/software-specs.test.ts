import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfiguration, loadDriverContract, loadProfile, softwareJsonSchemas } from '../../../src/contracts/index.ts';
import { loadProject } from '../../../src/project/index.ts';
import { repoRoot } from '../../helpers/demo.ts';

// ajv ships CommonJS: under NodeNext its class is the module's default export.
const Ajv2020 = Ajv2020Module.default;
const badDir = join(repoRoot, 'test/fixtures/software-specs/bad');
const kindOf = (file: string): 'driver' | 'config' | 'profile' =>
  file.endsWith('.driver.yaml') ? 'driver' : file.endsWith('.config.yaml') || file.includes('/configs/') ? 'config' : 'profile';
const loaders = { driver: loadDriverContract, config: loadConfiguration, profile: loadProfile };

const good = [
  ...['uart', 'gpio', 'timer'].map((d) => `software-specs/${d}.driver.yaml`),
  ...readdirSync(join(repoRoot, 'software-specs/configs')).map((f) => `software-specs/configs/${f}`),
  ...readdirSync(join(repoRoot, 'software-specs/profiles')).map((f) => `software-specs/profiles/${f}`),
];
const bad = readdirSync(badDir).sort();

describe('software spec formats (layers 1, 3, 4)', () => {
  it.each(good)('%s loads without findings', (file) => {
    const r = loaders[kindOf(file)](readFileSync(join(repoRoot, file), 'utf8'), file);
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toBeDefined();
  });

  it.each(bad)('%s gives its expected code at its expected line:col', (name) => {
    const text = readFileSync(join(badDir, name), 'utf8');
    const [, code, line, column] = /# expect: (\S+) (\d+):(\d+)/.exec(text) ?? [];
    const r = loaders[kindOf(name)](text, name);
    const found = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`);
    expect(found).toContain(`${code} ${line}:${column}`);
  });

  it('the committed JSON Schemas are what zod generates', () => {
    for (const s of softwareJsonSchemas) {
      expect(readFileSync(join(repoRoot, 'software-specs/schema', s.file), 'utf8'), s.file).toBe(JSON.stringify(s.generate(), null, 2) + '\n');
    }
  });

  it('ajv with the published schemas accepts and rejects the same files as the loaders (schema-level cases)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validators = Object.fromEntries(softwareJsonSchemas.map((s) => [s.file.replace('.schema.json', ''), ajv.compile(s.generate())]));
    const cases = [...good.map((f) => join(repoRoot, f)), ...bad.map((f) => join(badDir, f))];
    let rejected = 0;
    for (const path of cases) {
      const text = readFileSync(path, 'utf8');
      const kind = kindOf(path);
      const r = loaders[kind](text, path);
      // Reference checks (unknown role, recursion…) are beyond a schema: compare only schema-level verdicts.
      const schemaLevel =
        !r.value ||
        r.diagnostics.every((d) => !/unknown-role|unknown-parameter|recursive-call|unknown-operation|unknown-quantity|enum-param-role/.test(d.code));
      if (!schemaLevel) continue;
      const accepted = validators[kind]!(parse(text));
      expect(accepted, `${path}: ajv ${accepted} vs loader ${r.value !== undefined}`).toBe(r.value !== undefined);
      if (!accepted) rejected++;
    }
    expect(rejected).toBeGreaterThanOrEqual(5);
  });

  it('the demo project file is valid against its schema and loads', () => {
    const ajv = new Ajv2020({ strict: false });
    const project = softwareJsonSchemas.find((s) => s.file === 'project.schema.json')!;
    expect(ajv.compile(project.generate())(parse(readFileSync(join(repoRoot, 'specdrive.yaml'), 'utf8')))).toBe(true);
    const loaded = loadProject(join(repoRoot, 'specdrive.yaml'), process.cwd());
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.value?.boards[0]?.files.map((f) => f.split('/').pop())).toEqual(['rev-a.yaml', 'rev-b.yaml', 'rev-c.yaml']);
  });
});
