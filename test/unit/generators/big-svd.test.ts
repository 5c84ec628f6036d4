import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel } from '../../../generators/index.ts';
import { C_FLAGS, load, materialise, render, run, tscCheck } from './helpers.ts';

/** Real vendor SVDs (../shared/data): the emitted code must compile for them too. */
const DATA = join(import.meta.dirname, '../../../../shared/data/svd');
const CASES = [
  { file: 'STM32H743.svd.gz', cc: 'gcc', std: 'c11' },
  { file: 'RP2040.svd.gz', cc: 'clang', std: 'c99' },
  { file: 'nrf52840.svd.gz', cc: 'gcc', std: 'c99' },
] as const;

describe('big real SVDs', () => {
  for (const { file, cc, std } of CASES) {
    it(`${file}: C self-test (${cc} -std=${std}), TS tsc and Python py_compile`, () => {
      const model = buildGeneratorModel(load(join(DATA, file)));
      const c = materialise(render('c', model));
      run(cc, [`-std=${std}`, ...C_FLAGS, '-Iinclude', 'test/layout_selftest.c', '-o', 'st'], c);
      expect(run(join(c, 'st'), [], c)).toMatch(/checks, 0 failures/);
      tscCheck(materialise(render('ts', model)));
      const py = materialise(render('python', model));
      run('python3', ['-m', 'compileall', '-q', '.'], py);
    });
  }
});
