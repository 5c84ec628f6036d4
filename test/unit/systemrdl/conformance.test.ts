import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSystemRdl, compileSystemRdlFiles } from '../../../src/importers/systemrdl/index.ts';
import { diffFlat, flattenIr, flattenOracle, listFiles, RDL_DIR, runOracle, type OracleJob, type OracleResult } from './helpers.ts';

/**
 * Conformance with systemrdl-compiler (the reference implementation), on every file of the shared
 * corpus and on our own fixtures: register addresses, array shapes, field positions, sw/hw access,
 * onread/onwrite, resets, intr/counter must be identical. Files that use embedded Perl are refused
 * by us (by design); for them we check the refusal, then compile the oracle's Perl expansion.
 */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const corpus = listFiles(RDL_DIR, '.rdl');
const fixtures = listFiles(FIXTURES, '.rdl');
const ALL_RDL = join(RDL_DIR, 'accellera-examples', 'all.rdl');
// all.rdl instantiates the maps of every other example; included files are compiled through their includers.
const INCLUDED_ONLY = new Set(['pci_enums.rdl', 'pci_bar.rdl', 'sata_constants.rdl']);
const allRdlInputs = corpus.filter((f) => f.includes('accellera-examples') && f !== ALL_RDL && !INCLUDED_ONLY.has(basename(f)));

const usesPerl = (file: string): boolean => readFileSync(file, 'utf8').includes('<%');

const jobs: OracleJob[] = [];
const jobOf = new Map<string, number>();
const addJob = (key: string, job: OracleJob): void => {
  jobOf.set(key, jobs.length);
  jobs.push(job);
};
for (const f of [...corpus, ...fixtures]) {
  if (f === ALL_RDL) continue;
  addJob(f, { files: [f] });
  if (usesPerl(f)) addJob(`expand:${f}`, { files: [f], expand: true });
}
addJob(ALL_RDL, { files: [...allRdlInputs, ALL_RDL], top: 'top2' });

// One Python process for everything: starting systemrdl-compiler costs half a second.
const results: OracleResult[] = runOracle(jobs);
const result = (key: string): OracleResult => results[jobOf.get(key)!]!;

/** Our text for a file: the original, or systemrdl-compiler's Perl expansion of it. */
function ourText(file: string): string {
  if (!usesPerl(file)) return readFileSync(file, 'utf8');
  const r = result(`expand:${file}`);
  if (!('text' in r)) throw new Error(`oracle could not expand ${file}`);
  return r.text;
}

function compare(file: string, compiled: ReturnType<typeof compileSystemRdl>, oracle: OracleResult): void {
  if (!oracle.ok) {
    // The reference rejects it: we must reject it too, with a located error.
    expect(compiled.value?.device, `${file}: systemrdl-compiler rejects it (${oracle.messages.trim()})`).toBeUndefined();
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.span?.line).toBeGreaterThan(0);
    return;
  }
  if (!('regs' in oracle)) throw new Error('unexpected oracle result');
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, `${file} should compile`).toEqual([]);
  const device = compiled.value?.device;
  expect(device).toBeDefined();
  expect(device!.name).toBe(oracle.top);
  expect(diffFlat(flattenIr(device!), flattenOracle(oracle.regs))).toEqual([]);
}

describe('SystemRDL conformance with systemrdl-compiler', () => {
  it('covers the whole corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(26);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const file of [...corpus, ...fixtures].filter((f) => f !== ALL_RDL)) {
    it(`${file.slice(file.indexOf('/systemrdl/') + 1)}`, () => {
      const text = readFileSync(file, 'utf8');
      if (usesPerl(file)) {
        const refused = compileSystemRdl(text, file);
        expect(refused.value).toBeUndefined();
        const perl = refused.diagnostics.find((d) => d.code === 'rdl/perl-preprocessor');
        expect(perl, 'Perl is refused with rdl/perl-preprocessor').toBeDefined();
        // Located at the first `<%` of the file it was found in (found independently here).
        const perlFile = readFileSync(perl!.span!.file, 'utf8');
        const at = perlFile.indexOf('<%');
        const before = perlFile.slice(0, at).split('\n');
        expect([perl!.span!.line, perl!.span!.column]).toEqual([before.length, before[before.length - 1]!.length + 1]);
      }
      compare(file, compileSystemRdl(ourText(file), file), result(file));
    });
  }

  it('all.rdl: every example compiled into one root, top2 with 4 × 9 copies of all of them', () => {
    const compiled = compileSystemRdlFiles(
      [...allRdlInputs, ALL_RDL].map((f) => ({ text: ourText(f), file: f })),
      { top: 'top2' },
    );
    compare(ALL_RDL, compiled, result(ALL_RDL));
    expect(flattenIr(compiled.value!.device!).length).toBeGreaterThan(1000);
  });
});
