import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_REVISIONS, materialise, modelOf, render, run, tscCheck } from './helpers.ts';

/** A fake device: 32-bit registers by address, with the mixed fixture's CTRL side effects. */
function fakeIo() {
  const regs = new Map<number, number>([[0x4000_0000, 0x1f | (1 << 3) | (1 << 4)]]);
  const reads: number[] = [];
  return {
    regs,
    reads,
    io: {
      async read(address: number) {
        reads.push(address);
        return regs.get(address) ?? 0;
      },
      async write(address: number, _width: number, d: number) {
        if (address !== 0x4000_0000) return void regs.set(address, d);
        const r = regs.get(address) ?? 0;
        let next = (r & ~0x7) | (d & 0x7);
        next &= ~(d & 0x8);
        next &= d | ~0x10;
        next |= d & 0x20;
        regs.set(address, next >>> 0);
      },
    },
  };
}

describe('TypeScript SDK', () => {
  for (const rev of DEMO_REVISIONS) {
    it(`${rev}: passes tsc --strict --noEmit as its own package`, () => {
      const dir = materialise(render('ts', modelOf(`hardware-specs/demo-board/${rev}.yaml`)));
      tscCheck(dir);
    });
  }

  it('types reject an unknown enum name, a read-only field in modify, and modify on a read-to-clear register', () => {
    const dir = materialise(render('ts', modelOf('test/fixtures/generators/mixed.yaml')));
    writeFileSync(
      join(dir, 'src', 'misuse.ts'),
      `import type { Device } from './device.ts';
export async function misuse(d: Device): Promise<void> {
  // @ts-expect-error 'TURBO' is not a MODE value
  await d.DEV.CTRL.modify({ MODE: 'TURBO' });
  // @ts-expect-error DATA is read-only
  await d.DEV.RXD.write({ DATA: 1 });
  // @ts-expect-error reading RXD clears it, so it has no modify
  await d.DEV.RXD.modify({});
  // @ts-expect-error EN is a plain field: "clear" would only write 0, so there is no clear for it
  await d.DEV.CTRL.clear('EN');
  // @ts-expect-error ARR has no field with clear semantics: no clear() at all
  await d.DEV.ARR[0]!.clear('X');
  await d.DEV.CTRL.clear('W1C');
  await d.DEV.RXD.clear('OVF');
  await d.DEV.CTRL.modify({ MODE: 'FAST' });
}
`,
    );
    tscCheck(dir); // each @ts-expect-error fails the check if the line type-checks
  });

  it('modify keeps pending W1C/W0C flags, clear() clears exactly one, enums decode to names', async () => {
    const dir = materialise(render('ts', modelOf('test/fixtures/generators/mixed.yaml')));
    const sdk = (await import(pathToFileURL(join(dir, 'src', 'device.ts')).href)) as typeof import('./fixture-types.ts');
    const fake = fakeIo();
    const dev = sdk.createDevice(fake.io);
    await dev.DEV.CTRL.modify({ MODE: 'FAST' });
    expect(fake.regs.get(0x4000_0000)).toBe(0x1d);
    expect((await dev.DEV.CTRL.read()).MODE).toBe('FAST');
    await dev.DEV.clear_CTRL_W1C();
    expect(fake.regs.get(0x4000_0000)).toBe(0x15);
    await dev.DEV.clear_CTRL_W0C();
    expect(fake.regs.get(0x4000_0000)).toBe(0x05);
    fake.reads.length = 0;
    await dev.DEV.clear_RXD_OVF();
    expect(fake.reads).toEqual([0x4000_0004]);
    await dev.DEV.GRP[1]!.CFG.write({ V: 7 });
    expect(fake.regs.get(0x4000_0018)).toBe(7);
    await dev.DEV.ARR[2]!.write({});
    expect(fake.regs.get(0x4000_0028)).toBe(0x1234);
  });
});

describe('Python SDK', () => {
  it('py_compile and mypy --strict are clean for every demo revision', () => {
    const packages = DEMO_REVISIONS.map((rev) => {
      const dir = materialise(render('python', modelOf(`hardware-specs/demo-board/${rev}.yaml`)));
      run('python3', ['-m', 'py_compile', ...['__init__', '_runtime', 'device'].map((m) => join(dir, `demo_board_${rev.replace('-', '_')}`, `${m}.py`))], dir);
      return join(dir, `demo_board_${rev.replace('-', '_')}`);
    });
    // One mypy process for all three packages: mypy's start-up dominates. --no-site-packages: as on
    // a clean install, with neither pyserial nor types-pyserial.
    expect(run('python3', ['-m', 'mypy', '--strict', '--no-site-packages', ...packages], packages[0]!)).toContain('Success');
  });

  it('modify keeps pending flags and clear() clears exactly one, with the same API shape as TS', () => {
    const dir = materialise(render('python', modelOf('test/fixtures/generators/mixed.yaml')));
    writeFileSync(
      join(dir, 'check.py'),
      `from typing import Optional
from mixed_rev_a import Device
class Fake:
    def __init__(self) -> None:
        self.regs = {0x40000000: 0x1F | 8 | 16}
        self.reads: list[int] = []
    def read(self, address: int, width: int) -> int:
        self.reads.append(address)
        return self.regs.get(address, 0)
    def write(self, address: int, width: int, d: int) -> None:
        if address != 0x40000000:
            self.regs[address] = d
            return
        r = self.regs[address]
        n = (r & ~7) | (d & 7)
        n &= ~(d & 8)
        n &= d | ~16
        n |= d & 32
        self.regs[address] = n
    def modify(self, address: int, width: int, value: int, mask: int) -> bool:
        return False
    def wait(self, address: int, width: int, mask: int, value: int, timeout_ms: int) -> Optional[bool]:
        return None
fake = Fake()
dev = Device(fake)
dev.DEV.CTRL.modify(MODE="FAST")
assert fake.regs[0x40000000] == 0x1D, hex(fake.regs[0x40000000])
assert dev.DEV.CTRL.read()["MODE"] == "FAST"
dev.DEV.clear_CTRL_W1C()
assert fake.regs[0x40000000] == 0x15
dev.DEV.clear_CTRL_W0C()
assert fake.regs[0x40000000] == 0x05
fake.reads.clear()
dev.DEV.clear_RXD_OVF()
assert fake.reads == [0x40000004], fake.reads
dev.DEV.GRP[1].CFG.write(V=7)
assert fake.regs[0x40000018] == 7
dev.DEV.CTRL.clear("W1C")
try:
    dev.DEV.CTRL.clear("EN")  # type: ignore[arg-type]
    raise AssertionError("clear on a plain field must fail")
except ValueError:
    pass
print("ok")
`,
    );
    expect(run('python3', ['check.py'], dir)).toContain('ok');
    run('python3', ['-m', 'mypy', '--strict', '--no-incremental', '--warn-unused-ignores', 'check.py'], dir);
    // Type level: clear() on a plain field, or on a register with nothing to clear, is a mypy error.
    writeFileSync(
      join(dir, 'misuse.py'),
      'from mixed_rev_a import Device\n\ndef f(d: Device) -> None:\n    d.DEV.CTRL.clear("EN")\n    d.DEV.ARR[0].clear("X")\n',
    );
    expect(() => run('python3', ['-m', 'mypy', '--strict', '--no-incremental', 'misuse.py'], dir)).toThrow(
      /misuse\.py:4: error.*'EN'[\s\S]*misuse\.py:5: error/,
    );
  });
});
