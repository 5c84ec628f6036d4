/**
 * The C headers at the level of CMSIS device headers: shared layouts named by group (stable when a
 * peripheral is added), const-correct members, usable from C++, IRQn_Type with the core's
 * exceptions, CPU defines from <cpu>, and indexed macros for field arrays. Real gcc/g++/clang.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel } from '../../../generators/index.ts';
import { importText } from '../../../src/importers/index.ts';
import type { Cpu, Device, Peripheral } from '../../../src/ir/types.ts';
import { C_FLAGS, load, materialise, modelOf, render, run } from './helpers.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data/svd');
const h743 = load(join(DATA, 'STM32H743.svd.gz'));
const header = (dir: string, name: string): string => readFileSync(join(dir, 'include', name), 'utf8');
/** Compiles `program` (C unless the name ends in .cpp) against the generated headers; throws with the compiler's message. */
function compile(dir: string, name: string, program: string, extra: readonly string[] = []): void {
  writeFileSync(join(dir, name), program);
  const cpp = name.endsWith('.cpp');
  run(cpp ? 'g++' : 'gcc', [cpp ? '-std=c++17' : '-std=c11', ...C_FLAGS, '-Iinclude', '-fsyntax-only', ...extra, name], dir);
}

describe('shared layouts are named by group, not by the lowest address', () => {
  it('STM32H743: USART1 uses USART_Type and USART_CR1_UE_Msk; every instance keeps its own alias', () => {
    const dir = materialise(render('c', buildGeneratorModel(h743)));
    const all = ['usart1.h', 'usart2.h', 'uart4.h'].map((f) => header(dir, f)).join('\n');
    expect(all).toContain('#define USART_CR1_UE_Msk');
    expect(all).not.toMatch(/USART2_CR1_UE_Msk|USART2_Type/);
    expect(all).toContain('#define USART1_REGS ((USART_Type *)(uintptr_t)USART1_BASE)');
    expect(all).toContain('#define UART4_REGS ((USART_Type *)(uintptr_t)UART4_BASE)');
    compile(dir, 'use.c', '#include "sd_device.h"\nuint32_t ue(void);\nuint32_t ue(void) { return USART1_REGS->CR1 & USART_CR1_UE_Msk; }\n');
  });

  it('adding a peripheral of the layout at a lower address renames nothing', () => {
    const usart2 = h743.peripherals.find((p) => p.name === 'USART2')!;
    const lowest = Math.min(...h743.peripherals.map((p) => p.baseAddress));
    const extra: Peripheral = { ...usart2, name: 'USART0', path: 'USART0', baseAddress: lowest - 0x1000, interrupts: [] };
    const before = render('c', buildGeneratorModel(h743)).find((f) => f.path === 'include/sd_device.h')!;
    const grown: Device = { ...h743, peripherals: [extra, ...h743.peripherals] };
    const files = render('c', buildGeneratorModel(grown));
    const types = (text: string): string[] => [...text.matchAll(/\} (\w+_Type);/g)].map((m) => m[1]!).sort();
    const allText = files.map((f) => f.contents).join('\n');
    expect(types(allText)).toContain('USART_Type');
    expect(allText).not.toContain('USART0_Type');
    expect(before.contents).toContain('#include "usart1.h"');
  });
});

describe('const-correct members', () => {
  it('assigning a read-only register or |= on write-1-to-clear flags does not compile; reading does', () => {
    const dir = materialise(render('c', buildGeneratorModel(h743)));
    expect(header(dir, 'gpioa.h')).toMatch(/__I uint32_t IDR;/);
    compile(dir, 'read.c', '#include "sd_device.h"\nuint32_t idr(void);\nuint32_t idr(void) { return GPIOA_REGS->IDR; }\n');
    expect(() => compile(dir, 'write.c', '#include "sd_device.h"\nvoid bad(void);\nvoid bad(void) { GPIOA_REGS->IDR = 1u; }\n')).toThrow(/read-only/);
    const demo = materialise(render('c', modelOf('hardware-specs/demo-board/rev-b.yaml')));
    expect(() => compile(demo, 'w1c.c', '#include "sd_device.h"\nvoid bad(void);\nvoid bad(void) { UART0_REGS->STATUS |= UART0_STATUS_OVR_Msk; }\n')).toThrow(
      /read-only/,
    );
    compile(
      demo,
      'ok.c',
      '#include "sd_device.h"\nvoid ok(void);\nvoid ok(void) { UART0_REGS->CTRL |= UART0_CTRL_ENABLE_Msk; UART0_STATUS_WRITE(UART0_BASE, UART0_STATUS_OVR_Msk); }\n',
    );
  });
});

describe('C++', () => {
  it('a C++17 program includes every header and links the host link compiled as C', () => {
    const dir = materialise(render('c', modelOf('hardware-specs/demo-board/rev-b.yaml')));
    run('gcc', ['-std=c11', ...C_FLAGS, '-DSD_HOST', '-Iinclude', '-c', 'src/sd_link.c', '-o', 'sd_link.o'], dir);
    writeFileSync(
      join(dir, 'main.cpp'),
      `#include "sd_device.h"
#include "sd_link.h"
#include <cstdio>
int main() {
  sd_link link;
  if (sd_link_open_tcp(&link, "127.0.0.1", 1) == 0) { sd_link_use(&link); sd_link_close(&link); }
  IRQn_Type irq = UART0_IRQ_IRQn;
  std::printf("%d %u\\n", static_cast<int>(irq), static_cast<unsigned>(UART0_CTRL_ENABLE_Msk));
  return UART0_clear_STATUS_OVR(UART0_BASE) == SD_OK ? 0 : 1;
}
`,
    );
    run('g++', ['-std=c++17', ...C_FLAGS, '-DSD_HOST', '-Iinclude', 'main.cpp', 'sd_link.o', '-o', 'main'], dir);
    expect(run('nm', ['-C', 'main'], dir)).toMatch(/ T sd_link_open_tcp$/m);
  });
});

describe('IRQn_Type and CPU defines from <cpu>', () => {
  const withCpu = (cpu: Omit<Cpu, 'span'>): Device => ({ ...h743, cpu: { span: h743.span, ...cpu } });

  it('a CM7 gets the ARMv7-M exceptions, its configuration and core_cm7.h', () => {
    const dir = materialise(
      render(
        'c',
        buildGeneratorModel(
          withCpu({ name: 'CM7', revision: 'r1p1', mpuPresent: true, fpuPresent: true, fpuDP: true, nvicPrioBits: 4, vendorSystickConfig: false }),
        ),
      ),
    );
    const device = header(dir, 'sd_device.h');
    for (const name of ['NonMaskableInt_IRQn = -14', 'MemoryManagement_IRQn = -12', 'DebugMonitor_IRQn = -4', 'SysTick_IRQn = -1', 'USART1_IRQn = 37'])
      expect(device).toContain(name);
    expect(device).not.toContain('SecureFault_IRQn');
    expect(device).toContain('#define __CM7_REV 0x0101u');
    expect(device).toContain('#include "core_cm7.h"');
    compile(
      dir,
      'cpu.c',
      `#include "sd_device.h"
_Static_assert(__NVIC_PRIO_BITS == 4u && __FPU_PRESENT == 1 && __MPU_PRESENT == 1 && __FPU_DP == 1, "cpu");
_Static_assert(SysTick_IRQn == -1 && USART1_IRQn == 37, "irq");
IRQn_Type first(void);
IRQn_Type first(void) { return HardFault_IRQn; }
`,
    );
  });

  it('a CM0+ has only the baseline exceptions; svdconv defaults apply', () => {
    const device = header(materialise(render('c', buildGeneratorModel(withCpu({ name: 'CM0+' })))), 'sd_device.h');
    expect(device).toContain('SVCall_IRQn = -5');
    expect(device).not.toContain('MemoryManagement_IRQn');
    expect(device).toContain('#define __NVIC_PRIO_BITS 4u');
    expect(device).toContain('#define __FPU_PRESENT 0');
    expect(device).toContain('#include "core_cm0plus.h"');
  });
});

describe('field arrays', () => {
  it('get indexed _Pos(n) / _Msk(n) macros equal to the flattened ones', () => {
    const yaml = `spec: specdrive/hardware@1
board: farr
revision: a
peripherals:
  PORT:
    base: 0x40000000
    registers:
      OUT:
        offset: 0x0
        fields:
          PIN: { bits: 1..0, access: rw, dim: { count: 8, stride: 4 } }
`;
    const imported = importText(yaml, 'farr.yaml');
    if (!imported.value) throw new Error(JSON.stringify(imported.diagnostics));
    const dir = materialise(render('c', buildGeneratorModel(imported.value)));
    expect(header(dir, 'port.h')).toContain('#define PORT_OUT_PIN_Pos(n) (0u + (uint32_t)(n) * 4u)');
    const checks = Array.from(
      { length: 8 },
      (_, i) => `_Static_assert(PORT_OUT_PIN_Pos(${i}) == PORT_OUT_PIN${i}_Pos && PORT_OUT_PIN_Msk(${i}) == PORT_OUT_PIN${i}_Msk, "pin${i}");`,
    ).join('\n');
    compile(dir, 'arr.c', `#include "sd_device.h"\n${checks}\n_Static_assert(PORT_OUT_PIN_Count == 8u, "count");\n`);
  });
});
