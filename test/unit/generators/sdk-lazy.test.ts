import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, materialise, modelOf, render, run, tscCheck } from './helpers.ts';

/**
 * The SDKs are split per layout type so that one peripheral costs one peripheral (docs/generators.md,
 * "Loading one peripheral"). The demo board has three layouts (UART0, GPIOA, TIM0): what each
 * entry point loads is observed, not assumed.
 */
const SPEC = 'hardware-specs/demo-board/rev-a.yaml';
const PKG = 'demo_board_rev_a';

describe('Python SDK loads peripherals lazily', () => {
  it('from PKG import UART0 imports only its layout; Device builds each peripheral on first use', () => {
    const dir = materialise(render('python', modelOf(SPEC)));
    const script = `import sys
layouts = lambda: sorted(m.split(".")[-1] for m in sys.modules if m.startswith("${PKG}._layouts."))
from ${PKG} import UART0
print(layouts())
from ${PKG} import Device
d = Device(None)
print(layouts())
t = d.TIM0
print(layouts(), t is d.TIM0, type(t).__name__, type(t).__mro__[1].__name__, t._base == 0x40003000)
try:
    from ${PKG} import NOT_A_PERIPHERAL
except ImportError:
    print("refused")
import ${PKG}
print(sorted(n for n in dir(${PKG}) if n in ("GPIOA", "GPIOA_Peripheral")))
`;
    expect(run('python3', ['-c', script], dir).trim().split('\n')).toEqual([
      "['UART0']",
      "['UART0']",
      "['TIM0', 'UART0'] True TIM0 TIM0_Peripheral True",
      'refused',
      "['GPIOA', 'GPIOA_Peripheral']",
    ]);
  });

  it('mypy --strict types a lazily imported peripheral (not Any) and rejects a name the package lacks', () => {
    const dir = materialise(render('python', modelOf(SPEC)));
    writeFileSync(join(dir, 'good.py'), `from ${PKG} import UART0, RegisterIo\n\ndef enable(io: RegisterIo) -> None:\n    UART0(io).CTRL.modify(EN=1)\n`);
    run('python3', ['-m', 'mypy', '--strict', '--no-incremental', 'good.py'], dir);
    writeFileSync(
      join(dir, 'bad.py'),
      `from ${PKG} import UART0, RegisterIo, NOT_A_PERIPHERAL\n\ndef enable(io: RegisterIo) -> None:\n    UART0(io).CTRL.modify(NO_SUCH_FIELD=1)\n`,
    );
    expect(() => run('python3', ['-m', 'mypy', '--strict', '--no-incremental', 'bad.py'], dir)).toThrow(
      /bad\.py:1: error: Module "demo_board_rev_a" has no attribute "NOT_A_PERIPHERAL"[\s\S]*bad\.py:4: error: Unexpected keyword argument "NO_SUCH_FIELD"/,
    );
  });
});

describe('TypeScript SDK: a program using one peripheral', () => {
  it('type-checks only that peripheral and its layout (tsc --listFilesOnly), and drives it at its base', async () => {
    const dir = materialise(render('ts', modelOf(SPEC)));
    tscCheck(dir); // links node_modules
    writeFileSync(
      join(dir, 'program.ts'),
      `import { UART0, UART0_BASE } from './src/peripherals/UART0.ts';
import type { RegisterIo } from './src/runtime/register.ts';
export async function enable(io: RegisterIo): Promise<number> {
  await UART0(io).CTRL.modify({ EN: 1 });
  return UART0_BASE;
}
export async function misuse(io: RegisterIo): Promise<void> {
  // @ts-expect-error no such field: the peripheral is fully typed
  await UART0(io).CTRL.modify({ NO_SUCH_FIELD: 1 });
}
`,
    );
    const options = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        lib: ['ES2022'],
      },
      files: ['program.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.program.json'), JSON.stringify(options));
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    run(tsc, ['-p', 'tsconfig.program.json'], dir);
    const listed = run(tsc, ['-p', 'tsconfig.program.json', '--listFilesOnly'], dir)
      .split('\n')
      .filter((f) => f.startsWith(dir))
      .map((f) => f.slice(dir.length + 1))
      .filter((f) => !f.startsWith('node_modules/'));
    expect(listed.filter((f) => f.startsWith('src/layouts/') || f.startsWith('src/peripherals/') || f === 'src/device.ts')).toEqual([
      'src/layouts/UART0.ts',
      'src/peripherals/UART0.ts',
    ]);
    // At run time the factory addresses the peripheral's registers from its base.
    const writes: number[] = [];
    const io = { read: async () => 0, write: async (address: number) => void writes.push(address) };
    const program = (await import(pathToFileURL(join(dir, 'program.ts')).href)) as { enable(io: object): Promise<number> };
    expect(await program.enable(io)).toBe(0x4000_1000);
    expect(writes[0]).toBe(0x4000_1000);
  });
});
