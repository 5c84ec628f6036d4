import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel, generators, renderTarget } from '../../../generators/index.ts';
import { cComment, cString, htmlText, mdText, pyString, tsComment, tsString } from '../../../generators/framework/escape.ts';
import { C_FLAGS, load, materialise, modelOf, render, run, tscCheck } from './helpers.ts';

const HOSTILE = ['*/ x /*', '"', "'", '\\', '\n#define X', '??/', '${1}', '{{x}}', '</script>', '--', 'é✓', '\u2028', '`'];

describe('escaping functions', () => {
  it('C comments cannot close, nest, continue or hold trigraphs; C strings are printable ASCII', () => {
    for (const text of HOSTILE) {
      const c = cComment(text);
      expect(c).not.toMatch(/\*\/|\/\*|\?\?|\n/);
      expect(cString(text)).toMatch(/^[\x20-\x7e]*$/);
      expect(cString(text)).not.toMatch(/(^|[^\\])"/);
    }
  });
  it('TS/Python literals round-trip through their own parsers', () => {
    for (const text of HOSTILE) {
      expect(JSON.parse(tsString(text))).toBe(text);
      expect(tsComment(text)).not.toContain('*/');
    }
    // One Python process evaluates every literal and compares it with the JSON-decoded original.
    const script = `import json, sys\nexpected = json.loads(sys.argv[1])\ngot = [${HOSTILE.map(pyString).join(', ')}]\nprint(got == expected)`;
    expect(run('python3', ['-c', script, JSON.stringify(HOSTILE)], '.').trim()).toBe('True');
  });
  it('HTML and Markdown text carry no markup', () => {
    expect(htmlText('<script>"&\'')).toBe('&lt;script&gt;&quot;&amp;&#39;');
    expect(mdText('# a | b *c* <i>')).toBe('\\# a \\| b \\*c\\* &lt;i&gt;');
  });
});

describe('adversarial corpus', () => {
  it('hostile descriptions, board names and reserved-word names give escaped output that compiles everywhere', () => {
    const model = modelOf('test/fixtures/adversarial/escapes.yaml');
    const c = materialise(render('c', model));
    run('gcc', ['-std=c99', ...C_FLAGS, '-Iinclude', 'test/layout_selftest.c', '-o', 'st'], c);
    run('clang', ['-std=c11', ...C_FLAGS, '-Iinclude', '-DSD_HOST', '-c', 'src/sd_link.c', '-o', 'l.o'], c);
    expect(run(join(c, 'st'), [], c)).toContain('0 failures');
    // The injected declaration never became code: a program defining the same name still links.
    const ts = materialise(render('ts', model));
    tscCheck(ts);
    const py = materialise(render('python', model));
    const pkg =
      readFileSync(join(py, 'pyproject.toml'), 'utf8')
        .match(/^name = "(.*)"$/m)?.[1]
        ?.replace(/-/g, '_') ?? '';
    expect(run('python3', ['-m', 'mypy', '--strict', pkg], py)).toContain('Success');
    // Reserved words became members with a trailing underscore, the runtime-looking name got a prefix.
    const modules = readdirSync(join(py, pkg, '_layouts'))
      .filter((f) => f.endsWith('.py') && f !== '__init__.py')
      .map((f) => `${pkg}._layouts.${f.slice(0, -3)}`);
    const device = modules.map((m) => readFileSync(join(py, ...m.split('.')) + '.py', 'utf8')).join('\n');
    expect(device).toMatch(/class_: Optional\[int\] = None/);
    expect(device).toMatch(/u_io: Optional\[int\]/);
    expect(
      run(
        'python3',
        [
          '-c',
          `import importlib, ${pkg}; print(sorted(k for m in ${JSON.stringify([pkg, `${pkg}.device`, ...modules])} for k in dir(importlib.import_module(m)) if 'injected' in k))`,
        ],
        py,
      ).trim(),
    ).toBe('[]');
    const html = render('docs', model).find((f) => f.path === 'registers.html')?.contents ?? '';
    expect(html.match(/<script>/g)?.length).toBe(1); // only the page's own search script
  });

  it('names that are not identifiers are located generate/unsafe-name errors in every target', () => {
    const model = buildGeneratorModel(load('test/fixtures/adversarial/unsafe-names.yaml'));
    for (const generator of generators.filter((g) => g.name !== 'svd')) {
      const result = renderTarget(generator, model, {});
      expect(result.value, generator.name).toBeUndefined();
      const found = result.diagnostics.filter((d) => d.code === 'generate/unsafe-name').map((d) => `${d.span?.line}:${d.span?.column} ${d.path}`);
      expect(found, generator.name).toEqual(expect.arrayContaining(['8:7 UART0.CTRL */ int x; /*', '15:11 UART0.STATUS.ÜBER', '16:11 UART0.STATUS.9LIVES']));
    }
  });

  it('two spec names that map to one C symbol are a located generate/name-collision with the other place related', () => {
    const result = renderTarget(generators.find((g) => g.name === 'c')!, modelOf('test/fixtures/adversarial/collision.yaml'), {});
    expect(result.value).toBeUndefined();
    const collision = result.diagnostics.find((d) => d.code === 'generate/name-collision');
    expect(collision?.span?.line).toBe(15);
    expect(collision?.related?.[0]?.span.line).toBe(11);
  });
});
