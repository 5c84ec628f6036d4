import { cString } from '../framework/escape.ts';
import { paramMaximum, type RunnerEntry } from '../framework/operations.ts';
import { lit } from './c-syntax.ts';
import { C_PARAM, cParamType, operationFunction } from './operation-view.ts';

export interface RunnerOpView {
  readonly index: string;
  readonly qualified: string;
  readonly short: string;
  readonly argc: string;
  readonly maxima: string;
  /** The statements of the `case` calling it (C89-style block: declarations first). */
  readonly call: readonly string[];
}

export interface RunnerView {
  readonly maxArgs: string;
  readonly ops: readonly RunnerOpView[];
}

/**
 * The op runner (test/op_runner.c): the line protocol of docs/generators.md over the host link,
 * calling each operation on the instance its contract bound (`GPIOB_BASE` for an operation of the
 * GPIOA layout bound to GPIOB).
 */
export function runnerView(entries: readonly RunnerEntry[]): RunnerView {
  const maxArgs = Math.max(1, ...entries.map((e) => e.resolved.op.params.length));
  const ops = entries.map((e, i): RunnerOpView => {
    const op = e.resolved.op;
    const args = [`${e.peripheral.name}_BASE`, ...op.params.map((x, k) => `(${cParamType(e.peripheral.typeName, op, x)})args[${k}]`)];
    const fn = operationFunction(e.peripheral.typeName, e.resolved);
    const ret = op.returns ? (C_PARAM[op.returns] ?? 'uint32_t') : undefined;
    const call = ret
      ? [`${ret} result = 0;`, `int rc = ${fn}(${[...args, '&result'].join(', ')});`, '*has_value = 1;', '*value = (uint32_t)result;', 'return rc;']
      : [`return ${fn}(${args.join(', ')});`];
    return {
      index: `${i}u`,
      qualified: cString(e.qualified),
      short: e.short === undefined ? 'NULL' : `"${cString(e.short)}"`,
      argc: `${op.params.length}u`,
      maxima: op.params.length ? op.params.map((x) => lit(paramMaximum(x.type))).join(', ') : '0u',
      call,
    };
  });
  return { maxArgs: `${maxArgs}u`, ops };
}
