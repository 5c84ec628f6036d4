/**
 * The compile matrix of issue 16: the generated C for the demo board (with its contract
 * operations), STM32H743, RP2040 and nRF52840, through gcc and clang in C99 and C11 and g++ and
 * clang++ in C++17, with -Wall -Wextra -Werror -pedantic -Wconversion. Headers, the layout
 * self-test, the host link and the op runner; a C++ program includes every header with the link's.
 * The target side too: Debian's arm-none-eabi-gcc (.ci/run installs it) for a Cortex-M4 at -O2
 * compiles every header (and so every operation) without SD_HOST, i.e. with real MMIO accesses and
 * a 32-bit uintptr_t, freestanding, and the layout self-test against newlib's headers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { buildGeneratorModel, type GeneratorModel } from '../../../generators/index.ts';
import { load, materialise, render, run } from './helpers.ts';
import { contractModel } from './op-runner-helpers.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data/svd');
const STRICT = ['-Wall', '-Wextra', '-Werror', '-pedantic', '-Wconversion', '-D_POSIX_C_SOURCE=200809L', '-Iinclude', '-fsyntax-only'];
const CORTEX_M4 = ['-mcpu=cortex-m4', '-mthumb', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic', '-Wconversion', '-Iinclude', '-c'];
const BOARDS: readonly { name: string; model: () => GeneratorModel }[] = [
  { name: 'demo board rev-b (contract operations)', model: () => contractModel('rev-b') },
  { name: 'STM32H743', model: () => buildGeneratorModel(load(join(DATA, 'STM32H743.svd.gz'))) },
  { name: 'RP2040', model: () => buildGeneratorModel(load(join(DATA, 'RP2040.svd.gz'))) },
  { name: 'nRF52840', model: () => buildGeneratorModel(load(join(DATA, 'nrf52840.svd.gz'))) },
];

describe('C compile matrix: gcc/clang × c99/c11, g++/clang++ × c++17, arm-none-eabi-gcc Cortex-M4 -O2, -Wconversion -pedantic -Werror', () => {
  for (const board of BOARDS) {
    it(board.name, () => {
      const dir = materialise(render('c', board.model()), 'sd-matrix-');
      writeFileSync(join(dir, 'all.cpp'), '#include "sd_device.h"\n#include "sd_link.h"\nint main() { return SD_OK; }\n');
      for (const cc of ['gcc', 'clang']) {
        for (const std of ['c99', 'c11']) {
          run(cc, [`-std=${std}`, ...STRICT, 'test/layout_selftest.c'], dir);
          run(cc, [`-std=${std}`, ...STRICT, '-DSD_HOST', 'src/sd_link.c'], dir);
          run(cc, [`-std=${std}`, ...STRICT, 'test/op_runner.c'], dir);
        }
      }
      for (const cxx of ['g++', 'clang++']) {
        run(cxx, ['-std=c++17', ...STRICT, 'all.cpp'], dir);
        run(cxx, ['-std=c++17', ...STRICT, '-DSD_HOST', 'all.cpp'], dir);
      }
      // The static inline operations are parsed and checked (-Wconversion included) where included;
      // the op runner and the link are host programs and have no target build.
      writeFileSync(join(dir, 'target.c'), '#include "sd_device.h"\nint sd_target_main(void);\nint sd_target_main(void) { return SD_OK; }\n');
      for (const std of ['c99', 'c11']) {
        run('arm-none-eabi-gcc', [`-std=${std}`, ...CORTEX_M4, '-ffreestanding', 'target.c', '-o', 'target.o'], dir);
        run('arm-none-eabi-gcc', [`-std=${std}`, ...CORTEX_M4, 'test/layout_selftest.c', '-o', 'selftest.o'], dir);
      }
    });
  }
});
