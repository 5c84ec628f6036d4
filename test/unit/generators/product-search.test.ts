import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { productDividerForm, searchProductDivider } from '../../../src/pipeline/product-divider.ts';
import { layoutModule, load, materialise, render, run, tscCheck } from './helpers.ts';
import { contractModel } from './op-runner-helpers.ts';

/**
 * The timer's `start(rate)` (update_rate = HCLK / ((PSC + 1)·(ARR + 1))): a tabulated rate takes
 * its table entry, any other rate is searched at run time before the first write, and the fields
 * each generated SDK writes are those of the reference search (src/pipeline/product-divider.ts);
 * a rate nothing reaches is refused with the timer untouched.
 */
const PPM = 10_000; // the timer contract's 1 %
const RATES = [1000, 37, 12_345, 3, 60_000_000] as const;
const TABULATED = new Set([1000]);
const errorOf = (rate: number, s: { PSC: number; ARR: number }): number => Math.abs(48_000_000 - rate * (s.PSC + 1) * (s.ARR + 1));

function expected(revision: string): { rate: number; fields: Record<string, number> | undefined }[] {
  const device = load(`hardware-specs/demo-board/${revision}.yaml`);
  const form = productDividerForm(device, device.peripherals.find((p) => p.name === 'TIM0')!, 'update_rate')!;
  return RATES.map((rate) => ({ rate, fields: searchProductDivider(form, rate, PPM) }));
}

describe('run-time search of the timer divider in the SDKs', () => {
  for (const revision of ['rev-a', 'rev-b'] as const) {
    it(`${revision}: TypeScript and Python write the reference search's PSC and ARR, or refuse before any write`, async () => {
      const model = contractModel(revision, ['timer']);
      const want = expected(revision);
      expect(want.filter((w) => w.fields).length).toBe(4); // 60 MHz is past the 48 MHz clock
      // Addresses of the demo TIM0 (base 0x40003000): PSC at +0x08, ARR at +0x0C.
      const PSC = 0x4000_3008;
      const ARR = 0x4000_300c;

      const ts = render('ts', model);
      expect(layoutModule(ts, 'TIM0').contents).toContain('searched over');
      const tsDir = materialise(ts);
      tscCheck(tsDir);
      const { TIM0 } = (await import(pathToFileURL(join(tsDir, 'src', 'peripherals', 'TIM0.ts')).href)) as {
        TIM0(io: object): { start(rate: number): Promise<void> };
      };
      const tsWritten = new Map<number, { PSC: number; ARR: number }>();
      for (const { rate, fields } of want) {
        const regs = new Map<number, number>();
        const io = { read: async (a: number) => regs.get(a) ?? 0, write: async (a: number, _w: number, v: number) => void regs.set(a, v) };
        const started = TIM0(io).start(rate);
        if (!fields) {
          await expect(started, `rate ${rate}`).rejects.toThrow(/no update_rate setting within tolerance for 60000000/);
          expect(regs.size, 'nothing written').toBe(0);
          continue;
        }
        await started;
        const written = { PSC: regs.get(PSC) ?? -1, ARR: regs.get(ARR) ?? -1 };
        tsWritten.set(rate, written);
        // The table's rate may be met by another setting of the same (least) error; the others are the search's.
        if (TABULATED.has(rate)) expect(errorOf(rate, written), `rate ${rate}`).toBe(errorOf(rate, { PSC: fields['PSC.PSC']!, ARR: fields['ARR.ARR']! }));
        else expect(written, `rate ${rate}`).toEqual({ PSC: fields['PSC.PSC'], ARR: fields['ARR.ARR'] });
      }

      const py = render('python', model);
      const pkg = `demo_board_${revision.replace('-', '_')}`;
      const pyDir = materialise(py);
      run('python3', ['-m', 'mypy', '--strict', '--no-site-packages', '--no-error-summary', pkg], pyDir);
      writeFileSync(
        join(pyDir, 'drive.py'),
        `import sys
from ${pkg} import TIM0, OperationError
class Io:
    def __init__(self) -> None:
        self.regs: dict[int, int] = {}
    def read(self, address: int, width: int) -> int:
        return self.regs.get(address, 0)
    def write(self, address: int, width: int, value: int) -> None:
        self.regs[address] = value
    def modify(self, address: int, width: int, value: int, mask: int) -> bool:
        return False
    def wait(self, address: int, width: int, mask: int, value: int, timeout_ms: int) -> None:
        return None
for rate in map(int, sys.argv[1:]):
    io = Io()
    try:
        TIM0(io).start(rate)
        print(rate, io.regs.get(${PSC}), io.regs.get(${ARR}))
    except OperationError as e:
        print(rate, "refused", len(io.regs))
`,
      );
      const lines = run('python3', ['drive.py', ...RATES.map(String)], pyDir)
        .trim()
        .split('\n');
      expect(lines).toEqual(
        want.map(({ rate, fields }) => {
          if (!fields) return `${rate} refused 0`;
          const { PSC: psc, ARR: arr } = tsWritten.get(rate)!;
          return TABULATED.has(rate) ? `${rate} ${psc} ${arr}` : `${rate} ${fields['PSC.PSC']} ${fields['ARR.ARR']}`;
        }),
      );
    });
  }
});
