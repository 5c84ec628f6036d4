import type { Device, Field } from '../ir/types.ts';
import { isElementPathError, resolveElementPath } from '../ir/element-path.ts';
import { DeviceModel, modelResolver, parseBehaviours, type Action, type ParsedBehaviour } from '../../firmware-sim/index.ts';

/**
 * What every executor reports when a wait step times out: the interpreter, and the C, TypeScript
 * and Python op runners, answer `timeout OP: REGISTER.FIELD is VALUE, waited for EXPECTED`. The
 * scenario runner turns that into one explanation (this file), so the four say it in the same words.
 */
export interface WaitTimeout {
  /** Peripheral-relative `REGISTER.FIELD`. */
  readonly field: string;
  readonly value: number;
  readonly expected: number;
}

const TIMEOUT = /\btimeout \S+: (\S+) is (\d+), waited for (\d+)\s*$/;

export function parseWaitTimeout(message: string): WaitTimeout | undefined {
  const m = TIMEOUT.exec(message);
  return m ? { field: m[1]!, value: Number(m[2]), expected: Number(m[3]) } : undefined;
}

export function waitTimeoutMessage(operation: string, timeout: WaitTimeout): string {
  return `timeout ${operation}: ${timeout.field} is ${timeout.value}, waited for ${timeout.expected}`;
}

/** Whether an action (or one it wraps) can give `path` the value `expected`. */
function canSet(action: Action, path: string, expected: number): boolean {
  switch (action.kind) {
    case 'set':
      return action.field === path && (action.value.kind !== 'const' || action.value.value === expected);
    case 'pulse':
      return action.field === path && expected !== 0;
    case 'toggle':
    case 'setbits':
    case 'clearbits':
    case 'togglebits':
    case 'push':
    case 'count':
    case 'step':
      return action.field === path;
    case 'after':
    case 'on-wrap':
    case 'on-count':
    case 'if':
      return canSet(action.action, path, expected);
    default:
      return false;
  }
}

const describeTrigger = (b: ParsedBehaviour): string => {
  const t = b.trigger;
  const what =
    t.kind === 'write' || t.kind === 'read' || t.kind === 'task'
      ? `${t.kind} ${t.register.slice(t.register.indexOf('.') + 1)}`
      : t.kind === 'input'
        ? `input ${t.stream.slice(t.stream.indexOf('.') + 1)}`
        : t.kind;
  return `"on ${what}" (${b.span.file}:${b.span.line}:${b.span.column})`;
};

/** The behaviours of the field's peripheral that can set it to `expected`, and any hardware that drives it. */
function setters(device: Device, peripheralName: string, field: Field, path: string, expected: number): string[] {
  const peripheral = device.peripherals.find((p) => p.name === peripheralName);
  if (!peripheral) return [];
  const out: string[] = [];
  if (peripheral.behaviours.length > 0) {
    const model = new DeviceModel({ ...device, peripherals: [peripheral] }, {});
    const parsed = parseBehaviours([peripheral], modelResolver(model));
    // Behaviours name concrete fields (`TIMER0.EVENTS_COMPARE[0].EVENTS_COMPARE`), as the wait does.
    for (const b of parsed.behaviours) if (b.actions.some((a) => canSet(a, path, expected))) out.push(`behaviour ${describeTrigger(b)}`);
    for (const f of parsed.fifos)
      if (f.nonEmpty === path || f.level === path || f.overrun === path) out.push(`the FIFO of ${f.field.slice(f.field.indexOf('.') + 1)}`);
  }
  if (field.access.interrupt) out.push('its interrupt input');
  if (field.access.counter) out.push('its counter');
  return [...new Set(out)];
}

/**
 * `UART0.send_byte timed out waiting for UART0.UARTFR.TXFF to be 0: it is 1, its reset value is 1,
 * and nothing can set it to 0 (no behaviour writes it)`.
 */
export function explainWaitTimeout(device: Device, peripheral: string, operation: string, timeout: WaitTimeout): string {
  const path = `${peripheral}.${timeout.field}`;
  // The field may be an element of a register array (`CC[0].CC`): the one path parser reads it.
  const owner = device.peripherals.find((p) => p.name === peripheral);
  const element = owner ? resolveElementPath(owner, timeout.field) : undefined;
  const node = element && !isElementPathError(element) ? element.field : undefined;
  const head = `${peripheral}.${operation} timed out waiting for ${path} to be ${timeout.expected}: it is ${timeout.value}`;
  if (node?.kind !== 'field') return `${head} (${path} is not a field of ${device.name})`;
  const reset = node.reset === undefined ? 'it has no reset value' : `its reset value is ${node.reset}`;
  const who = setters(device, peripheral, node, path, timeout.expected);
  const can =
    who.length > 0 ? `it can be set to ${timeout.expected} by ${who.join(', ')}` : `nothing can set it to ${timeout.expected} (no behaviour writes it)`;
  return `${head}, ${reset}, and ${can}`;
}
