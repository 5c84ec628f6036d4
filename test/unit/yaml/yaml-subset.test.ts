import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defaultYamlLimits, loadYamlWithSchema, locateSubset, readWithYaml } from '../../../src/yaml/located-yaml.ts';
import { parseYamlSubset } from '../../../src/yaml/yaml-subset.ts';
import { compareWithYaml } from './subset-compare.ts';

/**
 * The YAML subset reader (src/yaml/yaml-subset.ts, issue 17's start-up) against `yaml`, the parser
 * it stands in for: on every YAML file of the repository and of the shared vendor data, a file the
 * reader accepts reads to the same value and the same spans; everything else goes to `yaml`.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const shared = join(root, '..', 'shared', 'data');

function yamlFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => join(root, f));
  const vendor = existsSync(shared)
    ? execFileSync('find', [shared, '-name', '*.yaml', '-o', '-name', '*.yml'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()
    : [];
  return [...tracked, ...vendor];
}

describe('the YAML subset reader against yaml', () => {
  it('reads every YAML file of the repository and the vendor data as yaml does, or leaves it to yaml', () => {
    const files = yamlFiles();
    expect(files.length).toBeGreaterThan(150);
    const outcomes = files.map((file) => ({ file, outcome: compareWithYaml(readFileSync(file, 'utf8'), file) }));
    expect(outcomes.filter((o) => o.outcome !== 'same' && o.outcome !== 'outside')).toEqual([]);
    // Not a dead path: the files the start-up target is about, and most others, take it.
    const same = new Set(outcomes.filter((o) => o.outcome === 'same').map((o) => o.file));
    for (const rev of ['rev-a', 'rev-b', 'rev-c']) expect(same.has(join(root, 'hardware-specs', 'demo-board', `${rev}.yaml`)), rev).toBe(true);
    expect(same.size).toBeGreaterThan(files.length / 2);
  });

  it('reads plain and quoted scalars, flow collections and comments to yaml core-schema values', () => {
    const text = [
      '# leading comment',
      'a: 1  # trailing',
      'b: 0x4000_1000',
      'c: 0x1F',
      'd: 48_000_000',
      "e: 'single'",
      'f: "double"',
      'g: { bits: 7..0, access: rw, on: ~, t: true, F: FALSE, n: Null }',
      'h: [x y, "q", [1, 2], {}]',
      'i:',
      '  # a comment between a key and its block',
      '  - k: v',
      '    l: 2',
      '',
      '  # between entries',
      '  - plain text (with parentheses) and a:colon',
      'url: http://example.com/a#b',
    ].join('\n');
    expect(compareWithYaml(text)).toBe('same');
    expect(parseYamlSubset(text)?.value).toEqual({
      a: 1,
      b: '0x4000_1000',
      c: 31,
      d: '48_000_000',
      e: 'single',
      f: 'double',
      g: { bits: '7..0', access: 'rw', on: null, t: true, F: false, n: null },
      h: ['x y', 'q', [1, 2], {}],
      i: [{ k: 'v', l: 2 }, 'plain text (with parentheses) and a:colon'],
      url: 'http://example.com/a#b',
    });
  });

  // Each is valid YAML (or an error yaml must report) that the subset leaves to yaml.
  const outside: Record<string, string> = {
    anchor: 'a: &x 1\nb: *x\n',
    tag: 'a: !!str 1\n',
    'multi-line plain scalar': 'a: one\n  two\n',
    'block scalar': 'a: |\n  text\n',
    'escaped double quote': 'a: "x\\ty"\n',
    'doubled single quote': "a: 'it''s'\n",
    'duplicate key': 'a: 1\na: 2\n',
    'number key': '1: a\n',
    'float value': 'a: 1.5\n',
    'negative value': 'a: -1\n',
    'octal value': 'a: 0o17\n',
    'wide integer': 'a: 0xFFFFFFFFFFFFFFFF\n',
    'empty value': 'a:\nb: 1\n',
    'comment trailing in a nested map': 'a:\n  b: 1\n  # trailing\nc: 2\n',
    'comment at the end': 'a: 1\n# end\n',
    'flow over two lines': 'a: [1,\n  2]\n',
    'trailing comma': 'a: [1, 2, ]\n',
    'one-pair map in a flow sequence': 'a: [b: 1]\n',
    'document marker': '---\na: 1\n',
    tab: 'a:\t1\n',
    CRLF: 'a: 1\r\nb: 2\r\n',
    'root sequence': '- a\n- b\n',
    'proto key': '__proto__: 1\n',
    'syntax error': 'a: b: c\n',
    'unclosed flow map': 'a: { b: 1\n',
    'deep flow nesting': `a: ${'['.repeat(100)}${']'.repeat(100)}\n`,
  };
  it.each(Object.entries(outside))('leaves %s to yaml, and the result is yaml’s', (_name, text) => {
    expect(parseYamlSubset(text)).toBeUndefined();
    const got = loadYamlWithSchema(text, 'f.yaml', z.unknown(), 'test');
    const viaYaml = readWithYaml(text, 'f.yaml', defaultYamlLimits);
    expect(got.diagnostics).toEqual(viaYaml.diagnostics);
    expect(got.value).toEqual('data' in viaYaml ? viaYaml.data : undefined);
  });

  it('goes to yaml past the depth limit, which then reports it', () => {
    const text = 'a:\n  b:\n    c: 1\n';
    expect(locateSubset(text, 'f.yaml', 128)).toBeDefined();
    expect(locateSubset(text, 'f.yaml', 2)).toBeUndefined();
    const loaded = loadYamlWithSchema(text, 'f.yaml', z.unknown(), 'test', { maxBytes: 1 << 20, maxAliasCount: 100, maxDepth: 2 });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['limits/too-deep']);
  });

  it('parses the yaml document of an accepted file only when a caller asks for it', () => {
    const subset = locateSubset('a: { b: 1 }\n', 'f.yaml', 128)!;
    expect(subset.located.document.toJS()).toEqual({ a: { b: 1 } });
  });
});
