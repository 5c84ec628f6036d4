import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { C_FLAGS, DEMO_REVISIONS, materialise, modelOf, render, run } from './helpers.ts';

const COMPILERS = ['gcc', 'clang'] as const;
const STANDARDS = ['c99', 'c11'] as const;

describe('C target', () => {
  for (const rev of DEMO_REVISIONS) {
    it(`${rev}: headers, self-test and host link compile with gcc/clang c99/c11 -Werror, and the self-test passes`, () => {
      const dir = materialise(render('c', modelOf(`hardware-specs/demo-board/${rev}.yaml`)));
      for (const cc of COMPILERS) {
        for (const std of STANDARDS) {
          const exe = join(dir, `selftest-${cc}-${std}`);
          run(cc, [`-std=${std}`, ...C_FLAGS, '-Iinclude', 'test/layout_selftest.c', '-o', exe], dir);
          expect(run(exe, [], dir)).toMatch(/layout self-test: \d+ checks, 0 failures/);
          run(cc, [`-std=${std}`, ...C_FLAGS, '-DSD_HOST', '-Iinclude', '-c', 'src/sd_link.c', '-o', join(dir, `link-${cc}-${std}.o`)], dir);
        }
      }
    });
  }

  /** Renders a fixture's C, checks its header with `check`, then builds and runs the layout self-test with gcc and clang. */
  const selfTestPasses = (spec: string, header: string, check: (contents: string) => void): void => {
    const files = render('c', modelOf(spec));
    check(files.find((f) => f.path === header)!.contents);
    const dir = materialise(files);
    for (const cc of COMPILERS) {
      const exe = join(dir, `selftest-${cc}`);
      run(cc, ['-std=c11', ...C_FLAGS, '-Iinclude', 'test/layout_selftest.c', '-o', exe], dir);
      expect(run(exe, [], dir)).toMatch(/layout self-test: \d+ checks, 0 failures/);
    }
  };

  it('a field of a 64-bit register above bit 53 gets its exact mask; the self-test compiles and passes', () => {
    selfTestPasses('test/fixtures/generators/wide-64.yaml', 'include/dmac.h', (header) => {
      expect(header).toMatch(/#define DMAC_LLP_LOC_Msk 0xffffffffffffffc0ull/i);
      expect(header).toMatch(/#define DMAC_STATUS_HIGH_Msk 0x7f80000000000000ull/i);
    });
  });

  it('a cluster ending in an array of clusters padded to their stride keeps the next member at its offset', () => {
    selfTestPasses('test/fixtures/generators/padded-cluster.yaml', 'include/prot.h', (header) => {
      expect(header).toContain('SD_STATIC_ASSERT(sizeof(PROT_SMPU_Type) == 0x2400u, PROT_SMPU_Type_size);');
      expect(header).toContain('SD_STATIC_ASSERT(offsetof(PROT_Type, MPU) == 0x4000u, PROT_Type_MPU);');
    });
  });

  it('a wrong struct offset stops the build under c99 and c11 (the static assertions are real)', () => {
    const files = render('c', modelOf('hardware-specs/demo-board/rev-c.yaml')).map((f) =>
      f.path === 'include/uart0.h' ? { ...f, contents: f.contents.replace('offsetof(UART0_Type, STATUS) == 0x4u', 'offsetof(UART0_Type, STATUS) == 0x8u') } : f,
    );
    const dir = materialise(files);
    for (const std of STANDARDS) expect(() => run('gcc', [`-std=${std}`, ...C_FLAGS, '-Iinclude', '-fsyntax-only', 'test/layout_selftest.c'], dir)).toThrow();
  });

  it('on a host, modify leaves write-1-to-clear flags alone, clears only what it is asked to, and never reads a read-to-clear register', () => {
    const dir = materialise(render('c', modelOf('test/fixtures/generators/mixed.yaml')));
    // A fake device behind the sd_io function table, implementing W1C/W0C/W1S semantics.
    writeFileSync(
      join(dir, 'host_test.c'),
      `#include <stdio.h>
#include "sd_device.h"
const sd_io *sd_io_active; int sd_io_error;
static uint32_t ctrl = 0x1Fu | (1u << 3) | (1u << 4); /* EN, MODE, W1C and W0C flags pending */
static unsigned rxd_reads;
static int rd(void *c, uint32_t a, unsigned w, uint64_t *v) { (void)c; (void)w; if (a == DEV_BASE + DEV_RXD_OFFSET) rxd_reads++; *v = a == DEV_BASE ? ctrl : 0u; return 0; }
static int wr(void *c, uint32_t a, unsigned w, uint64_t v) {
  (void)c; (void)w;
  if (a != DEV_BASE) return 0;
  {
    uint32_t plain = DEV_CTRL_EN_Msk | DEV_CTRL_MODE_Msk, d = (uint32_t)v, next = (ctrl & ~plain) | (d & plain);
    next &= ~(d & DEV_CTRL_W1C_Msk);               /* write 1 to clear */
    next &= (d | ~DEV_CTRL_W0C_Msk);               /* write 0 to clear */
    next |= d & DEV_CTRL_W1S_Msk;                  /* write 1 to set */
    ctrl = next;
  }
  return 0;
}
int main(void) {
  static const sd_io io = { NULL, rd, wr, NULL, NULL };
  sd_io_active = &io;
  DEV_CTRL_MODIFY(DEV_BASE, SD_FIELD_SET(DEV_CTRL_MODE, DEV_CTRL_MODE_FAST), DEV_CTRL_MODE_Msk);
  printf("after modify %02x\\n", (unsigned)ctrl);
  DEV_clear_CTRL_W1C(DEV_BASE);
  printf("after clear w1c %02x\\n", (unsigned)ctrl);
  DEV_clear_CTRL_W0C(DEV_BASE);
  printf("after clear w0c %02x\\n", (unsigned)ctrl);
  DEV_clear_RXD_OVF(DEV_BASE);
  printf("rxd reads %u\\n", rxd_reads);
  return 0;
}
`,
    );
    run('gcc', ['-std=c99', ...C_FLAGS, '-DSD_HOST', '-Iinclude', 'host_test.c', '-o', 'host_test'], dir);
    const out = run(join(dir, 'host_test'), [], dir);
    // MODE becomes FAST (2), EN stays, both pending flags survive the modify.
    expect(out).toContain('after modify 1d');
    expect(out).toContain('after clear w1c 15');
    expect(out).toContain('after clear w0c 05');
    // Clearing a read-to-clear field reads it exactly once; nothing else read it.
    expect(out).toContain('rxd reads 1');
  });

  it('emits no MODIFY for a register whose read has side effects, and arrays as indexed macros and C arrays', () => {
    const files = render('c', modelOf('test/fixtures/generators/mixed.yaml'));
    const header = files.find((f) => f.path === 'include/dev.h')?.contents ?? '';
    expect(header).toContain('#define DEV_RXD_READ(base)');
    expect(header).not.toContain('DEV_RXD_MODIFY');
    expect(header).toContain('#define DEV_ARR_OFFSET(i) (0x20u + (uint32_t)(i) * 0x4u)');
    expect(header).toContain('__IO uint32_t ARR[4];');
    expect(header).toContain('DEV_GRP_Type GRP[2];');
  });
});
