import type { Device, Field } from '../ir/types.ts';
import { isElementPathError, resolveElementPath } from '../ir/element-path.ts';
import { extractBits } from '../ir/bits.ts';
import type { Binding } from '../bind/index.ts';
import type { DriverContract, Scenario, ScenarioStep } from '../contracts/index.ts';
import type { ScenarioResult } from '../pipeline/ci-types.ts';
import type { OperationExecutor } from './executor.ts';
import type { SimSession } from './session.ts';
import { explainWaitTimeout, parseWaitTimeout } from './wait-timeout.ts';

/** Why a scenario cannot run on a revision (an operation it calls is broken there), or undefined. */
export function scenarioBlocker(binding: Binding, scenario: Scenario): string | undefined {
  const broken = new Set(binding.operations.filter((o) => o.verdict === 'broken').map((o) => o.operation));
  for (const step of scenario.steps) {
    if (step.kind === 'call' && broken.has(step.operation)) return `operation ${step.operation} is broken on ${binding.revision}`;
    if (step.kind === 'expect-field' && !binding.roles.find((r) => r.role === step.role)?.field) return `role ${step.role} is not bound on ${binding.revision}`;
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
  let consumed: ReadonlyMap<string, number> = new Map<string, number>();
  for (const step of scenario.steps) {
    const at = `${step.span.file}:${step.span.line}:${step.span.column}`;
    try {
      consumed = await runStep(session, executor, contract, binding, step, consumed);
    } catch (error) {
      const message = (error as Error).message;
      // A wait that timed out is explained the same way whichever executor reported it.
      const timeout = parseWaitTimeout(message);
      if (timeout && step.kind === 'call')
        return { ...base, status: 'failed', message: `${at}: ${explainWaitTimeout(device, peripheral, step.operation, timeout)}` };
      return { ...base, status: 'failed', message: `${at}: ${message}` };
    }
  }
  return { ...base, status: 'passed', message: '' };
}

/** One scenario step; throws what failed. Returns how much of each output stream has been checked. */
async function runStep(
  session: SimSession,
  executor: OperationExecutor,
  contract: DriverContract,
  binding: Binding,
  step: ScenarioStep,
  consumed: ReadonlyMap<string, number>,
): Promise<ReadonlyMap<string, number>> {
  const device = session.device;
  const peripheral = binding.peripheral ?? '';
  switch (step.kind) {
    case 'call': {
      const op = contract.operations.find((o) => o.name === step.operation);
      if (!op) throw new Error(`unknown operation ${step.operation}`);
      const args = op.params.map((p) => {
        const raw = step.args[p.name];
        if (raw === undefined) throw new Error(`missing argument ${p.name}`);
        return numeric(raw, p.role ? roleField(device, binding, p.role).field : undefined);
      });
      // Qualified (`UART1.init`): a contract bound to several instances has one operation per instance.
      const result = await executor.call(binding.peripheral ? `${binding.peripheral}.${step.operation}` : step.operation, args);
      if (step.expect !== undefined) {
        const expected = numeric(step.expect);
        if (result !== expected) throw new Error(`${step.operation} returned ${String(result)}, expected ${expected}`);
      }
      return consumed;
    }
    case 'inject':
      await session.control.inject(`${peripheral}.${step.stream}`, Uint8Array.from(step.bytes));
      return consumed;
    case 'tick':
      await session.control.tick(step.ticks);
      return consumed;
    case 'expect-output': {
      // Output is an event stream: let in-flight events arrive, then compare what is new.
      await session.control.tick(0);
      const stream = `${peripheral}.${step.stream}`;
      const all = session.output(stream);
      const seen = all.slice(consumed.get(stream) ?? 0);
      if (JSON.stringify(seen) !== JSON.stringify(step.bytes)) throw new Error(`${stream} sent [${seen.join(', ')}], expected [${step.bytes.join(', ')}]`);
      return new Map(consumed).set(stream, all.length);
    }
    case 'expect-field': {
      const { field, address, size } = roleField(device, binding, step.role);
      const raw = await session.control.read(address, { width: (size / 8) as 1 | 2 | 4 });
      const actual = extractBits(raw, field.lsb, field.width);
      const expected = numeric(step.equals, field);
      if (actual !== expected) throw new Error(`${step.role} (${field.path}) is ${actual}, expected ${expected}`);
      return consumed;
    }
    case 'expect-irq': {
      await session.control.tick(0);
      const irq = device.peripherals.find((p) => p.name === peripheral)?.interrupts[0]?.name;
      const level = session.irqLevel(irq);
      if (level !== step.raised) throw new Error(`interrupt ${irq ?? ''} is ${level ? 'raised' : 'low'}, expected ${step.raised ? 'raised' : 'low'}`);
      return consumed;
    }
    default:
      return unknownScenarioStep(step);
  }
}

function unknownScenarioStep(step: never): never {
  throw new Error(`unknown scenario step ${JSON.stringify(step)}`);
}
