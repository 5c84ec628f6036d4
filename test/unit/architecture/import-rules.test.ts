/**
 * The allowed imports between the project's areas, checked on every static and dynamic import of
 * every source file. The table is the architecture (docs/architecture.md draws it): an import that is
 * not in it fails here, so a new back-arrow is a decision made in this file, not an accident.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Area → the areas it may import (besides itself). `src/x` is a folder of src/. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The base: spans, diagnostics, hashing and the seeded PRNG depend on nothing (the diagnostic
  // renderer quotes spec text on a terminal through the terminal escaper of src/formats).
  'src/diagnostics': ['src/formats'],
  'src/hash': [],
  'src/random': [],
  // One escaper per output context (HTML, XML, Markdown, comments and strings of C/TS/Python).
  'src/formats': [],
  // Where specdrive's own files are (checkout or installed package) and its dependencies resolve from.
  'src/package': [],
  // The model and the small languages over it.
  'src/ir': ['src/diagnostics', 'src/hash'],
  'src/expr': ['src/diagnostics'],
  // Located documents: YAML with locations and the located-value tree (Hjson, chiptool YAML), whose
  // integers are read with the constant-expression literal grammar.
  'src/yaml': ['src/diagnostics', 'src/expr'],
  'src/solve': ['src/diagnostics', 'src/package'],
  'src/protocol': ['src/diagnostics'],
  // Layer 1/2 inputs: importers produce the IR; svdtools patches rewrite an SVD tree the SVD
  // importer then reads, and the importer registry recognises a patch file as a spec (a known cycle
  // through one file each way: src/importers/registry.ts ↔ src/patch/index.ts).
  // importText refuses what no later stage can represent (registers past 64 bits) with the rule
  // validation owns (src/validate/rules/representable.ts), before any stage sees the device.
  'src/importers': ['src/diagnostics', 'src/ir', 'src/yaml', 'src/expr', 'src/patch', 'src/validate'],
  'src/patch': ['src/diagnostics', 'src/ir', 'src/yaml', 'src/importers'],
  'src/exporters': ['src/diagnostics', 'src/ir', 'src/importers', 'src/formats'],
  // Board overlays annotate an imported device (layer 2). Their behaviours are written in the
  // simulator's behaviour language, so the overlay checks them with the simulator's own parser.
  'src/overlay': ['src/diagnostics', 'src/ir', 'src/yaml', 'src/importers', 'firmware-sim'],
  'src/validate': ['src/diagnostics', 'src/ir', 'src/expr'],
  // The project file carries import limits (ImportLimits, src/importers/types.ts).
  'src/project': ['src/diagnostics', 'src/ir', 'src/yaml', 'src/importers'],
  'src/contracts': ['src/diagnostics', 'src/ir', 'src/yaml', 'src/project', 'src/expr'],
  // Analysis over revisions and software specs.
  'src/diff': ['src/diagnostics', 'src/ir', 'src/importers', 'src/yaml', 'src/solve', 'src/random', 'src/package', 'src/formats'],
  'src/bind': ['src/diagnostics', 'src/ir', 'src/contracts', 'src/diff', 'src/expr', 'src/solve', 'src/formats'],
  'src/configure': ['src/diagnostics', 'src/ir', 'src/contracts', 'src/expr', 'src/solve'],
  // Generators need only the IR, diagnostics, hashing, the protocol runtime they copy into the SDKs
  // and the SVD exporter their SVD target wraps: never the pipeline, the CLI or the simulator.
  generators: ['src/diagnostics', 'src/ir', 'src/hash', 'src/protocol', 'src/exporters', 'src/package', 'src/formats'],
  // The simulator serves a device model built from the IR over the protocol; it loads specs itself.
  'firmware-sim': ['src/diagnostics', 'src/ir', 'src/protocol', 'src/random', 'src/importers'],
  // The orchestration layers: only these reach the generators and the simulator.
  'src/pipeline': ['*'],
  'src/scenarios': ['src/diagnostics', 'src/ir', 'src/contracts', 'src/bind', 'src/pipeline', 'src/protocol', 'generators', 'firmware-sim'],
  'src/report': ['src/diagnostics', 'src/diff', 'src/pipeline', 'src/ir', 'src/formats'],
  'src/cli': ['*'],
};

function areaOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  return parts[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'templates' || name === 'runtime' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import: `from '…'`, `import '…'` and `import('…')`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s));
}

const files = ['src', 'generators', 'firmware-sim'].flatMap((d) => sourceFiles(join(ROOT, d)));

describe('import rules', () => {
  it('reads the source tree (so the rules below are checked on something)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.some((f) => importsOf(f).some((t) => areaOf(t) === 'generators' && areaOf(f) === 'src/pipeline'))).toBe(true);
  });

  it('every area is in the table', () => {
    const unknown = [...new Set(files.map(areaOf))].filter((a) => a !== 'src' && !(a in ALLOWED));
    expect(unknown, 'add each new area to ALLOWED here and to docs/architecture.md').toEqual([]);
  });

  it('no import crosses areas outside the table', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      const allowed = ALLOWED[from] ?? [];
      for (const target of importsOf(file)) {
        const to = areaOf(target);
        if (to === from || allowed.includes('*') || allowed.includes(to)) continue;
        violations.push(`${relative(ROOT, file)} → ${relative(ROOT, target)} (${from} may not import ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
