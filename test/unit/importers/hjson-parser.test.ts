import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHjson, toPlain, type LocatedObject } from '../../../src/importers/hjson/index.ts';

/**
 * The Hjson parser against the reference implementation: python's `hjson` package (hjson-py 3.1,
 * what OpenTitan's reggen itself uses; `pip install hjson`) parses the same text and must give the
 * same value, for every real file and for a set of tricky snippets.
 */
const dataDirs = ['../shared/data/hjson/opentitan', '../shared/data/ip-revisions/opentitan'];
const dataFiles = dataDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.hjson'))
    .sort()
    .map((f) => join(dir, f)),
);
const limits = { maxDepth: 256, maxBytes: 64 * 1024 * 1024 };

/** Runs hjson-py on each text and returns its JSON values (null where hjson-py raises). */
function pythonHjson(texts: readonly string[]): unknown[] {
  const script = [
    'import hjson, json, sys',
    'out = []',
    'for text in json.load(sys.stdin):',
    '    try: out.append({"ok": hjson.loads(text)})',
    '    except Exception as e: out.append({"error": str(e)})',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const stdout = execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(stdout) as { ok?: unknown; error?: string }[]).map((r) => ('ok' in r ? r.ok : { pythonError: r.error }));
}

function parseValue(text: string): unknown {
  const result = parseHjson(text, 'snippet.hjson', limits);
  return result.value ? toPlain(result.value) : { errors: result.diagnostics.map((d) => d.code) };
}

describe('Hjson parser', () => {
  it('parses every OpenTitan hjson file to exactly what hjson-py gives', () => {
    expect(dataFiles.length).toBe(23);
    const texts = dataFiles.map((f) => readFileSync(f, 'utf8'));
    const expected = pythonHjson(texts);
    texts.forEach((text, i) => {
      const result = parseHjson(text, dataFiles[i] as string, limits);
      expect(
        result.diagnostics.filter((d) => d.severity === 'error'),
        dataFiles[i],
      ).toEqual([]);
      expect(toPlain(result.value!), dataFiles[i]).toEqual(expected[i]);
    });
  });

  const snippets = [
    'a: 1\nb: two words, and a comma\nc: true\nd: null\ne: -1.5e3',
    '{a: 1, b: 2}',
    '{\n  a: 1,\n  b: [1, 2, 3,]\n  c: [\n    x\n    y # comment\n  ]\n}',
    "k: '''\n    first\n      indented\n    last\n    '''\n",
    "\n  k: '''one line'''",
    'k: "quote \\" and \\u00e9 and \\n"\nq: \'single \\\' quote\'',
    '// c1\n/* c2\n */ a: 1 # c3\nb: 2 // c4',
    "a: 1 // trailing\nb: 0x10\nc: 07\nd: 1'b1\ne: -\nf: 5 apples",
    '[1, "two", three]',
    '"key with space": 1\n\'k2\': 2',
    'a: {b: {c: {d: []}}}\ne: {}',
    'a: 12,\nb: 3.0\nc: 1e2',
    '',
  ];

  it('agrees with hjson-py on tricky snippets', () => {
    const expected = pythonHjson(snippets);
    snippets.forEach((text, i) => {
      const want = expected[i] as { pythonError?: string };
      // Where hjson-py rejects the text we must reject it too (with our own located code).
      if (want !== null && typeof want === 'object' && 'pythonError' in want) expect(parseValue(text), JSON.stringify(text)).toHaveProperty('errors');
      else expect(parseValue(text), JSON.stringify(text)).toEqual(want);
    });
    // The snippets must exercise both outcomes, or the comparison above proves little.
    expect(expected.filter((e) => e !== null && typeof e === 'object' && 'pythonError' in e).length).toBe(1);
  });

  it('keeps quoteless text to the end of the line, but stops numbers and keywords at a comma', () => {
    expect(parseValue('a: foo, bar\nb: 1, c: 2')).toEqual({ a: 'foo, bar', b: 1, c: 2 });
    expect(parseValue('x: [true, false, null, 3]')).toEqual({ x: [true, false, null, 3] });
  });

  it("strips the indentation of a ''' string's opening column", () => {
    expect(parseValue("desc: '''\n      line one\n        two\n      '''")).toEqual({ desc: 'line one\n  two' });
    // Lines indented less than the opening column keep what they have; the first line may follow '''.
    expect(parseValue("  d: '''x\n  y\n     z'''")).toEqual({ d: 'x\ny\nz' });
  });

  it('gives every key and value its line:column', () => {
    const text = '{\n  name: "uart",\n  regs: [\n    { bits: "7:0" }\n  ]\n}\n';
    const result = parseHjson(text, 'x.hjson', limits);
    const root = result.value as LocatedObject;
    const name = root.entries[0]!;
    expect(name.keySpan).toMatchObject({ file: 'x.hjson', line: 2, column: 3, endLine: 2, endColumn: 7 });
    expect(name.value.span).toMatchObject({ line: 2, column: 9, endColumn: 15 });
    const regs = root.entries[1]!.value;
    if (regs.kind !== 'array') throw new Error('expected a list');
    const bits = (regs.items[0] as LocatedObject).entries[0]!;
    expect(bits.value.span).toMatchObject({ line: 4, column: 13, endColumn: 18 });
  });

  it('locates the uart name in the real file', () => {
    const file = '../shared/data/hjson/opentitan/uart.hjson';
    const result = parseHjson(readFileSync(file, 'utf8'), file, limits);
    const name = (result.value as LocatedObject).entries.find((e) => e.key === 'name')!;
    expect(name.value.span).toMatchObject({ line: 5, column: 23 });
  });

  const malformed: [string, string, number, number][] = [
    ['{ a: 1', 'hjson/unclosed-object', 1, 1],
    ['a: [1, 2', 'hjson/unclosed-array', 1, 4],
    ['a: "abc', 'hjson/unterminated-string', 1, 4],
    ["a: '''abc", 'hjson/unterminated-string', 1, 4],
    ['a: "x\\q"', 'hjson/bad-escape', 1, 6],
    ['a: "\\u12G4"', 'hjson/bad-escape', 1, 5],
    ['a 1', 'hjson/bad-key', 1, 1],
    ['{ a: 1\n  b c: 2 }', 'hjson/bad-key', 2, 4],
    ['a: ,', 'hjson/unexpected-punctuator', 1, 4],
    ['{a: 1} x', 'hjson/extra-data', 1, 8],
    ['/* never closed', 'hjson/unterminated-comment', 1, 1],
    ['{ a: 1 }\n}', 'hjson/extra-data', 2, 1],
    ['a: "line\nbreak"', 'hjson/control-character', 1, 9],
    ['{ "a" 1 }', 'hjson/expected-colon', 1, 7],
  ];

  it.each(malformed)('reports %j as a located error', (text, code, line, column) => {
    const result = parseHjson(text, 'bad.hjson', limits);
    expect(result.value).toBeUndefined();
    const error = result.diagnostics.find((d) => d.severity === 'error');
    expect(error?.code).toBe(code);
    expect(error?.span).toMatchObject({ file: 'bad.hjson', line, column });
  });

  it('warns about repeated keys and keeps the last value, as hjson-py does', () => {
    const result = parseHjson('a: 1\nb: 2\na: 3', 'dup.hjson', limits);
    expect(toPlain(result.value!)).toEqual({ a: 3, b: 2 });
    expect(result.diagnostics).toMatchObject([
      { code: 'hjson/duplicate-key', severity: 'warning', span: { line: 3, column: 1 }, related: [{ span: { line: 1, column: 1 } }] },
    ]);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = parseHjson(deep, 'deep.hjson', limits);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics[0]).toMatchObject({ code: 'limits/too-deep', span: { line: 1, column: 257 } });
    const shallow = parseHjson('['.repeat(200) + ']'.repeat(200), 'ok.hjson', limits);
    expect(shallow.value).toBeDefined();
  });

  it('refuses input above the size limit', () => {
    const result = parseHjson('a: 1\n'.repeat(100), 'big.hjson', { maxDepth: 10, maxBytes: 100 });
    expect(result.diagnostics[0]?.code).toBe('limits/file-too-large');
  });

  it('never throws, whatever the input', () => {
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '"',
      "'",
      "'''",
      '\\',
      '\n',
      ' ',
      '#',
      '//',
      '/*',
      '*/',
      'a',
      '1',
      '-',
      'true',
      'null',
      'x: ',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const result = parseHjson(parts.join(''), 'fuzz.hjson', { maxDepth: 8, maxBytes: 10_000 });
        for (const d of result.diagnostics) expect(d.span?.line).toBeGreaterThanOrEqual(1);
        if (result.value === undefined) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
