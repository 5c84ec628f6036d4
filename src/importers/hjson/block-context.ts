import type { SourceSpan } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { evaluateExpression, type NameResolver } from './expression.ts';
import { parseIntegerText, type ValueReader, type LocatedValue } from '../../yaml/index.ts';

/** Settings shared by every register block of one file. */
export class BlockContext {
  nodeCount = 0;
  readonly addrSep: number;

  constructor(
    readonly reader: ValueReader,
    readonly blockName: string,
    readonly regWidth: number,
    readonly resolve: NameResolver,
    readonly limits: ImportLimits,
  ) {
    this.addrSep = regWidth / 8;
  }

  /**
   * An integer that may be written as a parameter expression (`NumAdcFilter`, `NEndpoints+15`);
   * `bindings` adds local names (`multireg_idx` in a multireg copy's reset, as reggen binds it).
   */
  expression(value: LocatedValue | undefined, what: string, bindings?: Readonly<Record<string, number>>): number | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'scalar' && typeof value.value === 'number') return value.value;
    const text = this.reader.string(value, what);
    if (text === undefined) return undefined;
    const direct = parseIntegerText(text);
    if (direct !== undefined) return direct;
    const resolve: NameResolver = bindings ? (name) => (name in bindings ? BigInt(bindings[name]!) : this.resolve(name)) : this.resolve;
    const result = evaluateExpression(text, resolve);
    if ('error' in result) {
      this.reader.error('bad-expression', `${what} ${JSON.stringify(text)}: ${result.error}`, value.span, { hint: 'parameters come from param_list defaults' });
      return undefined;
    }
    return result.value;
  }
}

export function stringOrUndefined(value: LocatedValue | undefined): string | undefined {
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value.value.trim() : undefined;
}

export interface Signal {
  readonly name: string;
  readonly desc?: string;
  readonly span: SourceSpan;
  readonly lsb: number;
  readonly width: number;
  readonly status: boolean;
  readonly reset: number;
}
