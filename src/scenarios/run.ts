import type { Device, Field } from '../ir/types.ts';
import { isElementPathError, resolveElementPath } from '../ir/element-path.ts';
import { extractBits } from '../ir/bits.ts';
import type { Binding } from '../bind/index.ts';
import type { DriverContract, Scenario } from '../contracts/index.ts';
import type { ScenarioResult } from '../pipeline/ci-types.ts';
import type { OperationExecutor } from './executor.ts';
import type { SimSession } from './session.ts';
import { explainWaitTimeout, parseWaitTimeout } from './wait-timeout.ts';

/** Why a scenario cannot run on a revision (an operation it calls is broken there), or undefined. */
export function scenarioBlocker(binding: Binding, scenario: Scenario): string | undefined {
  const broken = new Set(binding.operations.filter((o) => o.verdict === 'broken').map((o) => o.operation));
  for (const { input } of scenario.steps) {
    if ('call' in input && broken.has(input.call)) return `operation ${input.call} is broken on ${binding.revision}`;
    if ('expect_field' in input && !binding.roles.find((r) => r.role === input.expect_field.role)?.field)
      return `role ${input.expect_field.role} is not bound on ${binding.revision}`;
  }
  return undefined;
}

function roleField(device: Device, binding: Binding, role: string): { field: Field; address: number; size: number } {
  const rb = binding.roles.find((r) => r.role === role);
  const peripheral = device.peripherals.find((p) => p.name === binding.peripheral);
  if (!rb?.field || !peripheral) throw new Error(`role ${role} is not bound`);
  // The one path parser: a role may name an element of a register array (`CC[0].CC`).
  const element = resolveElementPath(peripheral, rb.field);
  if (isElementPathError(element) || !element.field) throw new Error(`role ${role}: ${rb.field} not found`);
  return { field: element.field, address: peripheral.baseAddress + element.offset, size: element.register.size };
}

/** A scenario value: a number, or an enum name of the role a parameter or expectation refers to. */
function numeric(value: number | string, field?: Field): number {
  if (typeof value === 'number') return value;
  const e = field?.enums?.flatMap((s) => s.values).find((v) => v.name === value);
  if (e) return e.value;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(value)) return Number(value);
  throw new Error(`${JSON.stringify(value)} is not a number or an enum value`);
}

/**
 * Runs one conformance scenario: calls go through the executor under test (generated code or the
 * interpreter), inputs, time and observations through the session's control link. Every step's
 * failure is reported with the step's location.
 */
export async function runScenario(
  session: SimSession,
  executor: OperationExecutor,
  contract: DriverContract,
  binding: Binding,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const base = { driver: contract.driver, scenario: scenario.name, target: executor.name };
  const blocker = scenarioBlocker(binding, scenario);
  if (blocker) return { ...base, status: 'skipped', message: blocker };
  const device = session.device;
  const peripheral = binding.peripheral ?? '';
  await session.control.reset('power-on');
  session.events.length = 0;
  let consumed = new Map<string, number>();
  for (const { input, span } of scenario.steps) {
    const at = `${span.file}:${span.line}:${span.column}`;
    try {
      if ('call' in input) {
        const op = contract.operations.find((o) => o.name === input.call);
        if (!op) throw new Error(`unknown operation ${input.call}`);
        const args = op.params.map((p) => {
          const raw = input.with?.[p.name];
          if (raw === undefined) throw new Error(`missing argument ${p.name}`);
          return numeric(raw, p.role ? roleField(device, binding, p.role).field : undefined);
        });
        // Qualified (`UART1.init`): a contract bound to several instances has one operation per instance.
        const result = await executor.call(binding.peripheral ? `${binding.peripheral}.${input.call}` : input.call, args);
        if (input.expect !== undefined) {
          const expected = numeric(input.expect);
          if (result !== expected) throw new Error(`${input.call} returned ${String(result)}, expected ${expected}`);
        }
      } else if ('inject' in input) {
        await session.control.inject(`${peripheral}.${input.inject.stream}`, Uint8Array.from(input.inject.bytes));
      } else if ('tick' in input) {
        await session.control.tick(input.tick);
      } else if ('expect_output' in input) {
        // Output is an event stream: let in-flight events arrive, then compare what is new.
        await session.control.tick(0);
        const stream = `${peripheral}.${input.expect_output.stream}`;
        const all = session.output(stream);
        const seen = all.slice(consumed.get(stream) ?? 0);
        consumed = new Map(consumed).set(stream, all.length);
        if (JSON.stringify(seen) !== JSON.stringify(input.expect_output.bytes))
          throw new Error(`${stream} sent [${seen.join(', ')}], expected [${input.expect_output.bytes.join(', ')}]`);
      } else if ('expect_field' in input) {
        const { field, address, size } = roleField(device, binding, input.expect_field.role);
        const raw = await session.control.read(address, { width: (size / 8) as 1 | 2 | 4 });
        const actual = extractBits(raw, field.lsb, field.width);
        const expected = numeric(input.expect_field.equals, field);
        if (actual !== expected) throw new Error(`${input.expect_field.role} (${field.path}) is ${actual}, expected ${expected}`);
      } else if ('expect_irq' in input) {
        await session.control.tick(0);
        const irq = device.peripherals.find((p) => p.name === peripheral)?.interrupts[0]?.name;
        const level = session.irqLevel(irq);
        if (level !== input.expect_irq)
          throw new Error(`interrupt ${irq ?? ''} is ${level ? 'raised' : 'low'}, expected ${input.expect_irq ? 'raised' : 'low'}`);
      }
    } catch (error) {
      const message = (error as Error).message;
      // A wait that timed out is explained the same way whichever executor reported it.
      const timeout = parseWaitTimeout(message);
      if (timeout && 'call' in input) return { ...base, status: 'failed', message: `${at}: ${explainWaitTimeout(device, peripheral, input.call, timeout)}` };
      return { ...base, status: 'failed', message: `${at}: ${message}` };
    }
  }
  return { ...base, status: 'passed', message: '' };
}
