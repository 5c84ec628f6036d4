/**
 * firmware-sim: a behavioural device simulator built from the IR, served over the wire protocol.
 * docs/simulator.md describes the model and the behaviour language; docs/protocol.md the wire.
 */
export { Simulator, type SimulatorOptions, type SimEvent, type Origin } from './simulator.ts';
export { loadSimulator } from './load.ts';
export {
  DeviceModel,
  POISON,
  type ModelOptions,
  type UnresetPolicy,
  type ReadOnlyWritePolicy,
  type FieldState,
  type RegisterState,
  type FieldChange,
  type Fifo,
} from './device-model.ts';
export * as semantics from './semantics.ts';
export { Scheduler } from './scheduler.ts';
export { parseBehaviours, type BehaviourResolver } from './behaviours/parse.ts';
export { modelResolver } from './behaviours/resolver.ts';
export type * from './behaviours/ast.ts';
export type { PeripheralModel, HookContext } from './hooks.ts';
export { SimServer, type ServerOptions, type LinkStats } from './server.ts';
export { FaultInjector, parseFaults, type FaultOptions } from './faults.ts';
export { JsonlTracer, VcdTracer, type Tracer, type AccessRecord } from './trace.ts';
export { Prng } from './prng.ts';
export { openPty, PtyError, type PtyEndpoint } from './transports/pty.ts';
export { listenUnix, listenTcp, type Listener } from './transports/sockets.ts';
