/**
 * Read and write enumerations are separate namespaces (nRF's INTENSET.TICK reads Disabled/Enabled,
 * writes Set): write-only values reach every target, and a warning about a spec's enums is printed
 * once however many targets are generated.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel } from '../../../generators/index.ts';
import { runCli } from '../../../src/cli/main.ts';
import { layoutModule, load, render } from './helpers.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data/svd');

describe('read and write enum namespaces', () => {
  const model = buildGeneratorModel(load(join(DATA, 'nrf52840.svd.gz')));

  it('nRF52840 RTC0 INTENSET.TICK keeps its write-only Set in C, TypeScript and Python', () => {
    const rtc = render('c', model).find((f) => f.path === 'include/rtc0.h')!.contents;
    expect(rtc).toMatch(/#define RTC_INTENSET_TICK_Set 0x1u/);
    expect(rtc).toMatch(/#define RTC_INTENSET_TICK_Enabled 0x1u/);
    const ts = layoutModule(render('ts', model), 'RTC').contents;
    expect(ts).toContain(`export type RTC_INTENSET_TICK = "Disabled" | "Enabled";`);
    expect(ts).toContain(`export type RTC_INTENSET_TICK_Write = "Set";`);
    expect(ts).toMatch(/"TICK": \{[^}]*enums: \{ "Set": 1 \}, readEnums: \{ "Disabled": 0, "Enabled": 1 \}/);
    const py = layoutModule(render('python', model), 'RTC').contents;
    expect(py).toContain(`RTC_INTENSET_TICK_Write = Literal["Set"]`);
  });

  it('generate --target all prints each enum warning once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-enum-'));
    const spec = join(dir, 'dup.yaml');
    writeFileSync(
      spec,
      `spec: specdrive/hardware@1
board: dup
revision: a
peripherals:
  P:
    base: 0x40000000
    registers:
      R:
        offset: 0x0
        fields:
          F: { bits: 1..0, access: rw, enum: { A: 0, B: 1, C: 1 } }
`,
    );
    let err = '';
    const context = {
      cwd: dir,
      stdout: () => undefined,
      stderr: (t: string) => void (err += t),
      color: false,
      isTTY: false,
      signal: new AbortController().signal,
    };
    const code = await runCli(['generate', spec, '--target', 'all', '-o', join(dir, 'out')], context);
    expect(code, err).toBe(0);
    expect(err.match(/generate\/duplicate-enum/g)).toHaveLength(1);
  });
});
