import { describe, expect, it } from 'vitest';
import { bindContract } from '../../../src/bind/index.ts';
import { loadDriverContract } from '../../../src/contracts/index.ts';
import type { Diagnostic } from '../../../src/diagnostics/types.ts';
import { lowerContract } from '../../../src/pipeline/lower-operations.ts';
import { InterpretedExecutor } from '../../../src/scenarios/executor.ts';
import { Simulator } from '../../../firmware-sim/simulator.ts';
import { buildGeneratorModel, generatorFor, renderTarget, type GenOperation, type GenStep } from '../../../generators/index.ts';
import { inProcess } from '../protocol/helpers.ts';
import { C_FLAGS, layoutModule, load, materialise, render, run, tscCheck } from './helpers.ts';

/** A contract whose roles name elements of DEV's arrays: register array ARR[4], cluster array GRP[2]. */
const contractText = (arr: string): string => `spec: specdrive/driver@1
driver: elements
kind: dev
written_for: mixed/rev-a
roles:
  slot:   { field: "${arr}", read: true, write: true }
  cfg:    { field: "GRP[1].CFG.V", read: true, write: true }
operations:
  put:
    params:
      v: { type: u16 }
    steps:
      - write: { slot: $v }
      - write: { cfg: 0x5A }
  get:
    returns: u16
    steps:
      - wait: { role: cfg, equals: 0x5A, timeout: 100 }
      - read: slot
        into: value
      - return: $value
`;

const DEVICE = 'test/fixtures/generators/mixed.yaml';

function bound(arr: string): { operations: GenOperation[]; diagnostics: Diagnostic[]; binding: ReturnType<typeof bindContract>['value'][number] } {
  const device = load(DEVICE);
  const loaded = loadDriverContract(contractText(arr), 'elements.driver.yaml');
  const contract = loaded.value;
  if (!contract) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  const [binding] = bindContract(contract, device, { peripheral: 'DEV', engine: 'ts' }).value;
  if (!binding) throw new Error('no binding');
  const diagnostics: Diagnostic[] = [];
  return { operations: lowerContract({ contract, binding, device }, diagnostics), diagnostics, binding };
}

describe('contract roles naming an element of a register array', () => {
  it('bind to the element, lower to an indexed register path, and run in-process on that element only', async () => {
    const { operations, diagnostics, binding } = bound('ARR[2].X');
    expect(diagnostics).toEqual([]);
    expect(binding.roles.find((r) => r.role === 'slot')?.field).toBe('ARR[2].X');
    expect(binding.operations.map((o) => o.verdict)).toEqual(['unchanged', 'unchanged']);
    const put = operations.find((o) => o.name === 'put');
    expect(put?.steps.map((s) => ('register' in s ? s.register : s.kind))).toEqual(['ARR[2]', 'GRP[1].CFG']);
    const device = load(DEVICE);
    const sim = new Simulator(device);
    const { client, close } = await inProcess([sim]);
    try {
      const executor = new InterpretedExecutor(device, client, operations);
      await executor.call('put', [0xbeef]);
      // Only element 2 changed; its neighbours keep their reset value 0x1234.
      const words = await Promise.all([0, 1, 2, 3].map((i) => client.read(0x4000_0020 + 4 * i)));
      expect(words.map((w) => w & 0xffff)).toEqual([0x1234, 0x1234, 0xbeef, 0x1234]);
      expect((await client.read(0x4000_0018)) & 0xff).toBe(0x5a); // GRP[1].CFG, not GRP[0].CFG at 0x10
      expect((await client.read(0x4000_0010)) & 0xff).toBe(0);
      expect(await executor.call('get', [])).toBe(0xbeef);
    } finally {
      await close();
    }
  });

  it('an index beyond the array, or a missing one, is a located binding conflict with a stable code', () => {
    for (const [path, code] of [
      ['ARR[4].X', 'path/index-out-of-range'],
      ['ARR.X', 'path/index-missing'],
      ['CTRL[0].EN', 'path/not-an-array'],
    ] as const) {
      const { binding, operations } = bound(path);
      const put = binding.operations.find((o) => o.operation === 'put');
      expect(put?.verdict, path).toBe('broken');
      expect(put?.conflicts[0]?.message, path).toContain(`[${code}]`);
      expect(put?.conflicts[0]?.contractSpan.line, path).toBe(6);
      expect(
        operations.map((o) => o.name),
        path,
      ).toEqual([]);
    }
  });

  it('render as indexed accesses that compile in C (-Werror), TypeScript (--strict) and Python (mypy)', () => {
    const { operations } = bound('ARR[2].X');
    const model = buildGeneratorModel(load(DEVICE), { operations });
    const c = render('c', model);
    const header = c.find((f) => f.path === 'include/dev.h')?.contents ?? '';
    expect(header).toContain('DEV_ARR_WRITE(base, 2u, ');
    expect(header).toContain('DEV_GRP_CFG_WRITE(base, 1u, ');
    expect(header).toContain('sd_wait32((uintptr_t)base + DEV_GRP_CFG_OFFSET(1u), ');
    expect(header).toContain('"GRP[1].CFG.V"');
    run('gcc', ['-std=c99', ...C_FLAGS, '-Iinclude', '-c', 'test/op_runner.c', '-o', 'runner.o'], materialise(c));
    const ts = render('ts', model);
    const device = layoutModule(ts, 'DEV').contents;
    expect(device).toContain('await p.ARR[2]!.write({ X: v });');
    expect(device).toContain('p.GRP[1]!.CFG.waitField(');
    tscCheck(materialise(ts));
    const py = render('python', model);
    const module = layoutModule(py, 'DEV');
    expect(module.contents).toContain('self.ARR[2].write(X=v)');
    const pyDir = materialise(py);
    run('python3', ['-m', 'mypy', '--strict', '--no-error-summary', module.path.split('/')[0]!], pyDir);
  });

  it('generators reject an out-of-range or missing index in a lowered step (generate/bad-operation)', () => {
    const generator = generatorFor('c')!;
    const step = (register: string): GenStep => ({ kind: 'write', register, fields: [{ field: 'X', value: { const: 1 } }] });
    const op = (register: string): GenOperation => ({ name: 'poke', peripheral: 'DEV', params: [], steps: [step(register)], origin: 'test/poke' });
    for (const [register, words] of [
      ['ARR[4]', 'index 4 of ARR[4] is out of range (0..3)'],
      ['ARR', 'register ARR is an array; name one element (ARR[0])'],
      ['CTRL[1]', 'CTRL in CTRL[1] is not an array'],
    ] as const) {
      const { diagnostics } = renderTarget(generator, buildGeneratorModel(load(DEVICE), { operations: [op(register)] }), {});
      expect(diagnostics, register).toContainEqual(expect.objectContaining({ code: 'generate/bad-operation', message: `operation poke of DEV: ${words}` }));
    }
  });
});
