export { InterpretedExecutor, OperationError, type OperationExecutor, type SelectStep } from './executor.ts';
export { SimSession } from './session.ts';
export { runScenario, scenarioBlocker } from './run.ts';
export { ProcessExecutor } from './process-executor.ts';
