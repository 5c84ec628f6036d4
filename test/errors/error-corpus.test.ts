import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { loadAndValidate } from '../../src/pipeline/load-spec.ts';
import { validationRules } from '../../src/validate/index.ts';
import { corpusCases, LOADER_CODES, parseExpectations, validFixtures } from './corpus.ts';

const cases = corpusCases();

function captureContext(): { context: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const context: CommandContext = {
    cwd: process.cwd(),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    color: false,
    isTTY: false,
    signal: new AbortController().signal,
  };
  return { context, out, err };
}

describe('error corpus', () => {
  it('has at least 30 cases, each declaring what it expects', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(c.expected, c.name).not.toHaveLength(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s gives exactly its expected diagnostic', async (_name, c) => {
    const loaded = await loadAndValidate(c.file);
    const got = loaded.diagnostics.map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column, file: d.span?.file }));
    const want = c.expected.map((e) => ({ ...e, file: c.file }));
    expect(got).toEqual(want);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: `specdrive validate` exits non-zero and prints file:line:col', async (_name, c) => {
    // --fail-on warning: some cases are warnings (bits written lsb first), which must still fail a strict run.
    const { context, err } = captureContext();
    const shown = relative(process.cwd(), c.file);
    const code = await runCli(['validate', '--fail-on', 'warning', shown], context);
    expect([1, 2]).toContain(code);
    const stderr = err.join('');
    for (const e of c.expected) expect(stderr).toContain(`${shown}:${e.line}:${e.column}: `);
    for (const e of c.expected) expect(stderr).toContain(`[${e.code}]`);
  });

  it('a schema or syntax failure exits 2 (unusable), a rule finding exits 1', async () => {
    const exitOf = async (name: string): Promise<number> => {
      const c = cases.find((x) => x.name === name)!;
      return runCli(['validate', c.file], captureContext().context);
    };
    expect(await exitOf('yaml-syntax.yaml')).toBe(2);
    expect(await exitOf('missing-key-bits.yaml')).toBe(2);
    expect(await exitOf('field-overlap.yaml')).toBe(1);
  });

  it('covers every code of every rule and every loader code', () => {
    const covered = new Set(cases.flatMap((c) => c.expected.map((e) => e.code)));
    const required = [...validationRules.flatMap((r) => r.codes), ...LOADER_CODES];
    expect(required.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('expects only codes that a rule or the loader declares', () => {
    const declared = new Set([...validationRules.flatMap((r) => r.codes), ...LOADER_CODES]);
    const unknown = cases.flatMap((c) => c.expected.filter((e) => !declared.has(e.code)).map((e) => `${c.name}: ${e.code}`));
    expect(unknown).toEqual([]);
  });

  it('rules own distinct codes, all validate/<kebab-name>', () => {
    const codes = validationRules.flatMap((r) => r.codes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^validate\/[a-z0-9]+(-[a-z0-9]+)*$/);
    const ids = validationRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(validFixtures().map((f) => [f.name, f] as const))('valid fixture %s loads and validates with no finding at all', async (_name, f) => {
    const loaded = await loadAndValidate(f.file);
    expect(loaded.unusable).toBe(false);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('reads expectations only from the leading comment block', () => {
    const text = '# expect: validate/a 3:4\n# expect: validate/b 5:6\n# a note\nspec: x\n# expect: validate/c 1:1\n';
    expect(parseExpectations(text)).toEqual([
      { code: 'validate/a', line: 3, column: 4 },
      { code: 'validate/b', line: 5, column: 6 },
    ]);
  });
});
