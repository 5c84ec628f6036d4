import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { generateSchemaFiles, publishedSchemas, renderJsonSchema, SCHEMA_DIR } from '../../../src/cli/commands/schema.ts';
import { hardwareJsonSchema, hardwareSpecSchema } from '../../../src/importers/index.ts';
import { corpusCases, validFixtures } from '../../errors/corpus.ts';

const root = join(import.meta.dirname, '../../..');
const demoRevisions = ['rev-a', 'rev-b', 'rev-c'].map((rev) => {
  const file = join(root, 'hardware-specs/demo-board', `${rev}.yaml`);
  return { name: `demo-board/${rev}`, text: readFileSync(file, 'utf8') };
});

// strict: ajv refuses schema keywords it does not know, so a zod output ajv misreads would fail here.
// ajv is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv2020 = Ajv2020Module.default;
const ajv = new Ajv2020({ strict: true, allErrors: true });
const ajvValidate = ajv.compile(JSON.parse(readFileSync(join(root, SCHEMA_DIR, 'hardware.schema.json'), 'utf8')) as object);

/** The data the loader hands to zod: YAML 1.2, unique keys; undefined when YAML itself fails. */
function yamlData(text: string): { data: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, version: '1.2' });
  if (doc.errors.length > 0) return undefined;
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return undefined;
  }
}

function verdicts(data: unknown): { zod: boolean; ajv: boolean } {
  return { zod: hardwareSpecSchema.safeParse(data).success, ajv: ajvValidate(data) };
}

describe('published JSON Schema', () => {
  it('the committed files equal freshly generated output, byte for byte', () => {
    for (const [file, text] of generateSchemaFiles()) {
      expect(readFileSync(join(root, SCHEMA_DIR, file), 'utf8'), file).toBe(text);
    }
  });

  it('generation is deterministic', () => {
    for (const s of publishedSchemas) expect(renderJsonSchema(s.generate())).toBe(renderJsonSchema(s.generate()));
    expect(renderJsonSchema(hardwareJsonSchema()).endsWith('}\n')).toBe(true);
  });

  it('uses only keywords that draft-07 editors (yaml-language-server) also understand', () => {
    // Keys under `properties` and `$defs` are names, not keywords; everything else is a keyword.
    const draft07 = new Set([
      '$schema',
      '$id',
      '$ref',
      '$defs',
      'title',
      'description',
      'type',
      'properties',
      'required',
      'additionalProperties',
      'anyOf',
      'const',
      'enum',
      'pattern',
      'minimum',
      'exclusiveMinimum',
      'maximum',
      'minLength',
      'propertyNames',
      'items',
    ]);
    const used = new Set<string>();
    const visit = (node: unknown, namesHere: boolean): void => {
      if (Array.isArray(node)) return node.forEach((n) => visit(n, false));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (!namesHere) used.add(key);
        visit(value, !namesHere && (key === 'properties' || key === '$defs'));
      }
    };
    visit(hardwareJsonSchema(), false);
    expect([...used].filter((k) => !draft07.has(k))).toEqual([]);
    expect(used.has('$ref')).toBe(true);
  });

  it('accepts the demo board revisions and the valid fixtures, as zod does', () => {
    for (const spec of [...demoRevisions, ...validFixtures()]) {
      const parsed = yamlData(spec.text);
      expect(parsed, spec.name).toBeDefined();
      expect(verdicts(parsed!.data), spec.name).toEqual({ zod: true, ajv: true });
    }
  });

  const cases = corpusCases();
  const schemaLevel = cases.filter((c) => c.expected.some((e) => e.code.startsWith('hardware/') && e.code !== 'hardware/bits-order'));
  const semantic = cases.filter((c) => c.expected.every((e) => e.code.startsWith('validate/') || e.code === 'hardware/bits-order'));

  it('the corpus has schema-level and semantic cases to compare', () => {
    expect(schemaLevel.length).toBeGreaterThanOrEqual(10);
    expect(semantic.length).toBeGreaterThanOrEqual(25);
  });

  it.each(schemaLevel.map((c) => [c.name, c] as const))('rejects schema-level bad case %s, as zod does', (_name, c) => {
    const parsed = yamlData(c.text);
    expect(parsed).toBeDefined();
    expect(verdicts(parsed!.data)).toEqual({ zod: false, ajv: false });
  });

  it.each(semantic.map((c) => [c.name, c] as const))('accepts semantic case %s (valid by schema, caught by a rule), as zod does', (_name, c) => {
    const parsed = yamlData(c.text);
    expect(parsed).toBeDefined();
    expect(verdicts(parsed!.data)).toEqual({ zod: true, ajv: true });
  });

  it('agrees with zod on every parseable corpus file', () => {
    for (const c of cases) {
      const parsed = yamlData(c.text);
      if (!parsed) continue;
      const v = verdicts(parsed.data);
      expect(v.ajv, c.name).toBe(v.zod);
    }
  });

  it('agrees with zod on random mutations of a spec that uses every key', () => {
    const base = yamlData(validFixtures().find((f) => f.name === 'kitchen-sink.yaml')!.text)!.data;
    const paths: (string | number)[][] = [];
    const collect = (node: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(node)) node.forEach((child, i) => collect(child, [...path, i]));
      else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) collect(child, [...path, k]);
    };
    collect(base, []);
    const replacements: unknown[] = [
      -1,
      0,
      1,
      1.5,
      7,
      8,
      64,
      2 ** 60,
      '',
      'abc',
      '0x1F',
      '0x',
      '7..0',
      '7:0',
      'rw',
      'r',
      'woclr',
      'fifo',
      'level',
      true,
      false,
      null,
      [],
      {},
      { bits: 0 },
      { offset: 0, fields: {} },
      ['x'],
    ];
    const op = fc.record({
      path: fc.nat(paths.length - 1),
      kind: fc.constantFrom('replace', 'delete', 'add-key'),
      value: fc.constantFrom(...replacements),
      key: fc.constantFrom('extra', 'bits', 'offset', 'registers', 'fields', 'access', 'size', 'dim'),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 3 }), (ops) => {
        const data = structuredClone(base) as Record<string, unknown>;
        for (const o of ops) mutate(data, paths[o.path]!, o);
        const v = verdicts(data);
        expect(v.ajv).toBe(v.zod);
      }),
      { numRuns: 400, seed: 20240601 },
    );
  });
});

/** Applies one edit at `path` if the path still exists in `data` (earlier edits may have removed it). */
function mutate(data: Record<string, unknown>, path: readonly (string | number)[], o: { kind: string; value: unknown; key: string }): void {
  if (path.length === 0) {
    if (o.kind === 'add-key') data[o.key] = o.value;
    return;
  }
  let parent: unknown = data;
  for (const part of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return;
    parent = (parent as Record<string | number, unknown>)[part];
  }
  if (parent === null || typeof parent !== 'object') return;
  const container = parent as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (!(last in container)) return;
  if (o.kind === 'replace') container[last] = structuredClone(o.value);
  else if (o.kind === 'delete' && !Array.isArray(container)) delete container[last];
  else if (o.kind === 'add-key') {
    const target = container[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[o.key] = structuredClone(o.value);
  }
}
