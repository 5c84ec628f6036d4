import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel, generatorFor, renderTarget, type GenOperation, type GenStep } from '../../../generators/index.ts';
import { C_FLAGS, DEMO_REVISIONS, layoutModule, load, materialise, render, run } from './helpers.ts';
import { contractModel, contractOperations } from './op-runner-helpers.ts';

const REV_B = 'hardware-specs/demo-board/rev-b.yaml';

function file(files: readonly { path: string; contents: string }[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in ${files.map((x) => x.path).join(', ')}`);
  return f.contents;
}

/** Renders one target for rev-b with the given operations; returns the diagnostics only. */
function diagnosticsFor(target: string, operations: readonly GenOperation[]): readonly { code: string; message: string; span?: { line: number } }[] {
  const generator = generatorFor(target);
  if (!generator) throw new Error(target);
  return renderTarget(generator, buildGeneratorModel(load(REV_B), { operations }), {}).diagnostics;
}

const op = (steps: readonly GenStep[], extra: Partial<GenOperation> = {}): GenOperation => ({
  name: 'tune',
  peripheral: 'UART0',
  params: [{ name: 'rate', type: 'u32' }],
  steps,
  origin: 'test/tune',
  span: { file: 'test.driver.yaml', line: 7, column: 3, endLine: 7, endColumn: 9 },
  ...extra,
});

const select = (cases: Extract<GenStep, { kind: 'select' }>['cases']): GenStep => ({ kind: 'select', on: { param: 'rate' }, quantity: 'baud', cases });

describe('contract operations in C, TypeScript and Python', () => {
  it('render and compile for every demo revision: the baud divider computed at run time, the timer a solved table plus a run-time search', () => {
    for (const rev of DEMO_REVISIONS) {
      const model = contractModel(rev, ['uart', 'gpio', 'timer']);
      const init = model.operations.find((o) => o.name === 'init');
      expect(
        init?.steps.some((s) => s.kind === 'divide'),
        rev,
      ).toBe(true);
      const table = model.operations.flatMap((o) => o.steps).find((s) => s.kind === 'select');
      if (table?.kind !== 'select') throw new Error(`${rev}: the timer has no select`);
      expect(table.cases.length, rev).toBeGreaterThan(5);
      const c = render('c', model);
      const header = file(c, 'include/uart0.h');
      expect(header).toContain('static inline int UART0_init(uintptr_t base, uint32_t baud, UART0_init_parity_t parity) {');
      expect(header).toContain('  sd_v = (2 * sd_num + ');
      const timer = file(c, 'include/tim0.h');
      for (const k of table.cases) expect(timer).toContain(`  case ${k.value}u:`);
      // A rate the table lacks is searched (product-search.ts) before the first write, its result written in default.
      expect(timer).toContain('searched over');
      expect(timer).toMatch(/TIM0_PSC_MODIFY\(base, SD_FIELD_SET\(TIM0_PSC_PSC, sd_update_rate_[xy]\)/);
      const dir = materialise(c);
      run('gcc', ['-std=c99', ...C_FLAGS, '-Iinclude', '-c', 'test/op_runner.c', '-o', 'runner.o'], dir);
      const ts = layoutModule(render('ts', model), 'UART0').contents;
      expect(ts).toContain('throw new OperationError(\'unsupported\', "init", "no baud setting within tolerance for " + String(baud));');
      const py = render('python', model);
      expect(layoutModule(py, 'TIM0').contents).toContain(`if rate == ${table.cases[0]?.value}:`);
      expect(layoutModule(py, 'UART0').contents).toContain('raise OperationError("unsupported", "init", "no baud setting within tolerance for " + str(baud))');
      const pyDir = materialise(py);
      run('python3', ['-m', 'compileall', '-q', 'op_runner.py', `demo_board_${rev.replace('-', '_')}`], pyDir);
    }
  });

  it('the TypeScript SDK throws a typed OperationError for a rate no divider reaches and writes the divider otherwise', async () => {
    const model = contractModel('rev-b', ['uart']);
    const dir = materialise(render('ts', model));
    const sdk = await import(pathToFileURL(join(dir, 'src', 'index.ts')).href);
    const memory = new Map<number, number>();
    const device = sdk.createDevice({
      read: async (a: number) => memory.get(a) ?? 0,
      write: async (a: number, _w: number, v: number) => void memory.set(a, v),
    });
    const error = await device.UART0.init(5_000_000, 0).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(sdk.OperationError);
    expect(error).toMatchObject({ code: 'unsupported', operation: 'init' });
    await device.UART0.init(115200, 2);
    expect(memory.get(0x4000_100c)).toBe((26 << 4) | 1);
    expect(memory.get(0x4000_1000)).toBe(0b101);
  });

  it('the Python SDK raises OperationError("unsupported") for a rate no divider reaches', () => {
    const dir = materialise(render('python', contractModel('rev-b', ['uart'])));
    const out = execFileSync(
      'python3',
      [
        '-c',
        `
from demo_board_rev_b import Device, OperationError
class Memory:
    def __init__(self) -> None:
        self.cells: dict[int, int] = {}
    def read(self, address: int, width: int) -> int:
        return self.cells.get(address, 0)
    def write(self, address: int, width: int, value: int) -> None:
        self.cells[address] = value
    def modify(self, address: int, width: int, value: int, mask: int) -> bool:
        return False
    def wait(self, address: int, width: int, mask: int, value: int, timeout_ms: int) -> None:
        return None
io = Memory()
dev = Device(io)
try:
    dev.UART0.init(5000000, 0)
except OperationError as e:
    print(e.code, e.operation)
dev.UART0.init(115200, 2)
print(hex(io.cells[0x4000100c]), bin(io.cells[0x40001000]))
`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trim().split('\n')).toEqual(['unsupported init', '0x1a1 0b101']);
  });

  it('a select with no solvable case still compiles and always reports the value unsupported', () => {
    const model = buildGeneratorModel(load(REV_B), { operations: [op([select([])])] });
    const c = render('c', model);
    expect(file(c, 'include/uart0.h')).toContain('switch ((uint32_t)(rate)) {\n  default:\n    return SD_ERR_UNSUPPORTED;');
    run('gcc', ['-std=c11', ...C_FLAGS, '-Iinclude', '-c', 'test/op_runner.c', '-o', 'runner.o'], materialise(c));
    expect(layoutModule(render('python', model), 'UART0').contents).toContain(
      '        raise OperationError("unsupported", "tune", "no solved baud for " + str(rate))\n',
    );
  });

  it('rejects, with located errors, selects that name missing fields, repeat a case or modify a register read has side effects on', () => {
    const cases = (register: string, field: string, value = 1): Extract<GenStep, { kind: 'select' }>['cases'] => [
      { value, writes: [{ register, fields: [{ field, value: { const: 3 } }] }] },
    ];
    for (const target of ['c', 'ts', 'python']) {
      const missing = diagnosticsFor(target, [op([select(cases('BAUD', 'NOPE'))])]);
      expect(missing, target).toContainEqual(
        expect.objectContaining({
          code: 'generate/bad-operation',
          message: 'operation tune of UART0: no field BAUD.NOPE',
          span: expect.objectContaining({ line: 7 }),
        }),
      );
      const twice = diagnosticsFor(target, [op([select([...cases('BAUD', 'DIV', 9600), ...cases('BAUD', 'DIV', 9600)])])]);
      expect(twice.map((d) => d.message)).toContain('operation tune of UART0: baud has two cases for 9600');
      const fifo = diagnosticsFor(target, [op([select(cases('DATA', 'DATA'))])]);
      expect(fifo.map((d) => d.message).join('\n')).toMatch(/modify of DATA would read it/);
      const reserved = diagnosticsFor(target, [op([], { params: [{ name: 'base', type: 'u8' }] })]);
      expect(reserved.map((d) => d.message)).toContain('operation tune of UART0: parameter name base is used by the generated code itself');
    }
  });

  it('runners accept the bare operation name only when one peripheral has it', () => {
    const poke = (peripheral: string, register: string, field: string): GenOperation => ({
      name: 'poke',
      peripheral,
      params: [],
      steps: [{ kind: 'modify', register, fields: [{ field, value: { const: 1 } }] }],
      origin: 'test',
    });
    const model = buildGeneratorModel(load(REV_B), {
      operations: [poke('UART0', 'CTRL', 'RXIE'), poke('TIM0', 'CR', 'UIE'), ...contractOperations(load(REV_B), ['gpio']).slice(0, 1)],
    });
    const c = file(render('c', model), 'test/op_runner.c');
    expect(c).toContain('{ "UART0.poke", NULL, 0u, { 0u } },');
    expect(c).toContain('{ "TIM0.poke", NULL, 0u, { 0u } },');
    expect(c).toContain('{ "GPIOA.configure_outputs", "configure_outputs", 1u, { 0xFFFFu } },');
    expect(file(render('ts', model), 'op-runner.ts')).toContain('add(["UART0.poke"], [], async (d, a) => { await d.UART0.poke(); return undefined; });');
    expect(file(render('python', model), 'op_runner.py')).toContain('_add(("TIM0.poke",), (), _op_1)');
  });
});
