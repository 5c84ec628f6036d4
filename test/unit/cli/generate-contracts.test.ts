/**
 * `generate --contracts`: contract operations in the generated code without going through ci,
 * bound to the spec with the chosen engine; a broken operation is left out with a warning.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

async function generate(args: readonly string[]): Promise<{ code: number; err: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'sd-gen-contracts-'));
  let err = '';
  const context = {
    cwd: ROOT,
    stdout: () => undefined,
    stderr: (t: string) => void (err += t),
    color: false,
    isTTY: false,
    signal: new AbortController().signal,
  };
  const code = await runCli(['generate', ...args, '-o', out], context);
  return { code, err, out };
}

describe('generate --contracts', () => {
  it('emits the contract operations, checked and typed, in C', async () => {
    const r = await generate([
      'hardware-specs/demo-board/rev-b.yaml',
      '--target',
      'c',
      '--contracts',
      'software-specs',
      '--reference',
      'hardware-specs/demo-board/rev-a.yaml',
    ]);
    expect(r.code, r.err).toBe(0);
    const header = readFileSync(join(r.out, 'c', 'include', 'uart0.h'), 'utf8');
    expect(header).toContain('static inline int UART0_init(uintptr_t base, uint32_t baud, UART0_init_parity_t parity)');
    expect(header).toContain('sd_v = (2 * sd_num + 1 * sd_t - 1) / (2 * 1 * sd_t);');
    expect(header).toContain('static inline int UART0_set_loopback(');
    // Without the reference revision, the EN → ENABLE rename cannot be followed: init is left out, said out loud.
    const byPath = await generate(['hardware-specs/demo-board/rev-b.yaml', '--target', 'c', '--contracts', 'software-specs/uart.driver.yaml']);
    expect(byPath.err).toMatch(/left out of the generated code: uart\.init/);
    expect(readFileSync(join(r.out, 'c', 'include', 'tim0.h'), 'utf8')).toMatch(/static inline int TIM0_\w+\(/);
  });

  it('leaves a broken operation out with a warning, and honours --engine', async () => {
    const r = await generate([
      'hardware-specs/demo-board/rev-c.yaml',
      '--target',
      'python',
      '--contracts',
      'software-specs/uart.driver.yaml',
      '--reference',
      'hardware-specs/demo-board/rev-a.yaml',
      '--engine',
      'ts',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning\[bind\/broken-operation\]: left out of the generated code: uart\.set_loopback/);
    const device = readFileSync(join(r.out, 'python', 'demo_board_rev_c', '_layouts', 'UART0.py'), 'utf8');
    expect(device).toContain('def init(self, baud: int, parity: UART0_init_parity)');
    expect(device).not.toContain('def set_loopback');
    const bad = await generate(['hardware-specs/demo-board/rev-c.yaml', '--target', 'c', '--contracts', 'software-specs', '--engine', 'z3']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--engine must be wasm or ts');
  });
});
