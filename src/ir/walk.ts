import type { Cluster, Device, Field, Peripheral, Register, RegisterNode } from './types.ts';

/**
 * A read-only walk of the IR with listener callbacks (the systemrdl-compiler pattern): stages that
 * only look at some node kinds implement only those callbacks.
 */
export interface IrListener {
  enterDevice?(device: Device): void;
  enterPeripheral?(peripheral: Peripheral): void;
  exitPeripheral?(peripheral: Peripheral): void;
  enterCluster?(cluster: Cluster, parents: readonly Cluster[], peripheral: Peripheral): void;
  exitCluster?(cluster: Cluster, parents: readonly Cluster[], peripheral: Peripheral): void;
  enterRegister?(register: Register, parents: readonly Cluster[], peripheral: Peripheral): void;
  enterField?(field: Field, register: Register, peripheral: Peripheral): void;
}

/** A walk of every node with one listener. */
export function walkDevice(device: Device, listener: IrListener): void {
  walkDeviceWithAll(device, [listener]);
}

type AnyHook = (a: unknown, b: unknown, c: unknown) => void;

/** The listeners that have one hook: each function beside the listener it is called on. */
interface HookCalls {
  readonly fns: AnyHook[];
  readonly receivers: IrListener[];
}

/** Per hook, the listeners that implement it, in the order given. */
type Dispatch = Readonly<Record<keyof IrListener, HookCalls>>;

const HOOKS: readonly (keyof IrListener)[] = ['enterDevice', 'enterPeripheral', 'exitPeripheral', 'enterCluster', 'exitCluster', 'enterRegister', 'enterField'];

function hookCalls(listeners: readonly IrListener[], hook: keyof IrListener): HookCalls {
  const fns: AnyHook[] = [];
  const receivers: IrListener[] = [];
  for (const listener of listeners) {
    const fn = listener[hook] as AnyHook | undefined;
    if (fn === undefined) continue;
    fns.push(fn);
    receivers.push(listener);
  }
  return { fns, receivers };
}

function call(calls: HookCalls, a: unknown, b?: unknown, c?: unknown): void {
  const { fns, receivers } = calls;
  for (let i = 0; i < fns.length; i++) (fns[i] as AnyHook).call(receivers[i], a, b, c);
}

/**
 * One walk for several listeners (validation's rules): each node is visited once and each listener
 * hears of it in the order given, without a combined function or a bound copy of each hook between
 * the walk and the listeners. A register's fields go to one listener after another, each listener
 * over all of them, so the calls of one hook stay on one target in a row: each listener sees exactly
 * the sequence of calls it would see walking alone.
 */
export function walkDeviceWithAll(device: Device, listeners: readonly IrListener[]): void {
  const dispatch = Object.fromEntries(HOOKS.map((hook) => [hook, hookCalls(listeners, hook)])) as Dispatch;
  call(dispatch.enterDevice, device);
  const peripherals = device.peripherals;
  for (let i = 0; i < peripherals.length; i++) {
    const peripheral = peripherals[i] as Peripheral;
    call(dispatch.enterPeripheral, peripheral);
    walkNodes(peripheral.registers, [], peripheral, dispatch);
    call(dispatch.exitPeripheral, peripheral);
  }
}

// Indexed loops: a walk visits every node of a 190 000-node device, mostly in unoptimized code, where
// `for…of` allocates an iterator and a result per step.
function walkNodes(nodes: readonly RegisterNode[], parents: readonly Cluster[], peripheral: Peripheral, dispatch: Dispatch): void {
  const fieldFns = dispatch.enterField.fns;
  const fieldReceivers = dispatch.enterField.receivers;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RegisterNode;
    if (node.kind === 'cluster') {
      call(dispatch.enterCluster, node, parents, peripheral);
      walkNodes(node.children, [...parents, node], peripheral, dispatch);
      call(dispatch.exitCluster, node, parents, peripheral);
    } else {
      call(dispatch.enterRegister, node, parents, peripheral);
      const fields = node.fields;
      for (let l = 0; l < fieldFns.length; l++) {
        const enterField = fieldFns[l] as AnyHook;
        const receiver = fieldReceivers[l];
        for (let f = 0; f < fields.length; f++) enterField.call(receiver, fields[f] as Field, node, peripheral);
      }
    }
  }
}

/** A register with its parents and its offset from the peripheral base (first array element). */
export interface PlacedRegister {
  readonly register: Register;
  readonly clusters: readonly Cluster[];
  readonly peripheral: Peripheral;
  /** Byte offset of element 0 from the peripheral base. */
  readonly offset: number;
}

/** Every register of a peripheral with its offset from the base, arrays not expanded. */
export function placedRegisters(peripheral: Peripheral): PlacedRegister[] {
  const out: PlacedRegister[] = [];
  const visit = (nodes: readonly RegisterNode[], clusters: readonly Cluster[], base: number): void => {
    for (const node of nodes) {
      if (node.kind === 'cluster') visit(node.children, [...clusters, node], base + node.offset);
      else out.push({ register: node, clusters, peripheral, offset: base + node.offset });
    }
  };
  visit(peripheral.registers, [], 0);
  return out;
}

/** One concrete register instance: arrays expanded, absolute address resolved. */
export interface RegisterInstance {
  readonly register: Register;
  readonly peripheral: Peripheral;
  /** Concrete name, e.g. `CCR[2]` or `CH[1].CTRL`. */
  readonly name: string;
  readonly address: number;
}

function elementOffsets(dim: { count: number; stride: number; offsets?: readonly number[] } | undefined): number[] {
  if (!dim) return [0];
  if (dim.offsets) return [...dim.offsets];
  return Array.from({ length: dim.count }, (_, i) => i * dim.stride);
}

/**
 * Expands arrays of clusters and registers into concrete instances with absolute addresses.
 * `limit` guards against hostile dims (2^32 elements): expansion stops there and returns `truncated`.
 */
export function registerInstances(peripheral: Peripheral, limit = 1_000_000): { instances: RegisterInstance[]; truncated: boolean } {
  const instances: RegisterInstance[] = [];
  let truncated = false;
  // Indexed loops and no offsets array for a plain register: one step per register of the device, mostly before the code is optimized.
  const visit = (nodes: readonly RegisterNode[], prefix: string, base: number): void => {
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n] as RegisterNode;
      if (node.dim === undefined) place(node, prefix, node.name, base + node.offset);
      else {
        const offsets = elementOffsets(node.dim);
        for (let index = 0; index < offsets.length; index++) place(node, prefix, `${node.name}[${index}]`, base + node.offset + (offsets[index] as number));
      }
    }
  };
  const place = (node: RegisterNode, prefix: string, label: string, address: number): void => {
    if (truncated) return;
    if (node.kind === 'cluster') visit(node.children, `${prefix}${label}.`, address);
    else if (instances.length >= limit) truncated = true;
    else instances.push({ register: node, peripheral, name: prefix + label, address });
  };
  visit(peripheral.registers, '', peripheral.baseAddress);
  return { instances, truncated };
}

/** Finds a node by its stable path (`UART0.CTRL.ENABLE`). */
export function findByPath(device: Device, path: string): Peripheral | RegisterNode | Field | undefined {
  const [head, ...rest] = path.split('.');
  const peripheral = device.peripherals.find((p) => p.name === head);
  if (!peripheral) return undefined;
  let nodes: readonly RegisterNode[] = peripheral.registers;
  let current: Peripheral | RegisterNode | Field = peripheral;
  for (const part of rest) {
    if (current.kind === 'register') {
      const field: Field | undefined = current.fields.find((f) => f.name === part);
      if (!field) return undefined;
      current = field;
      continue;
    }
    const next: RegisterNode | undefined = nodes.find((n) => n.name === part);
    if (!next) return undefined;
    current = next;
    nodes = next.kind === 'cluster' ? next.children : [];
  }
  return current;
}

/** Total number of registers and fields (array elements counted once). */
export function countNodes(device: Device): { peripherals: number; registers: number; fields: number } {
  let registers = 0;
  let fields = 0;
  walkDevice(device, {
    enterRegister: () => void registers++,
    enterField: () => void fields++,
  });
  return { peripherals: device.peripherals.length, registers, fields };
}
