/**
 * Layer 3, the configuration: one deployment on one revision — which peripheral each driver drives,
 * the quantities it must reach, fixed field settings and clock overrides.
 */
import type { StageResult } from '../diagnostics/types.ts';
import type { SourceSpan } from '../ir/types.ts';
import { loadYamlWithSchema } from '../yaml/index.ts';
import { configSchema, toleranceValue } from './schema.ts';

export interface Target {
  readonly span: SourceSpan;
  readonly peripheral: string;
  readonly quantity: string;
  readonly value: number;
  /** Relative tolerance from the configuration (fraction, e.g. 0.01). */
  readonly tolerance: number;
}

export interface Setting {
  readonly span: SourceSpan;
  /** `PERIPHERAL.REGISTER.FIELD`. */
  readonly path: string;
  readonly value: number | string;
}

/** A deployment (layer 3). */
export interface Configuration {
  readonly file: string;
  readonly span: SourceSpan;
  readonly name: string;
  readonly board: string;
  readonly revision: string;
  /** Where `board:` and `revision:` are written (an unknown one is reported there). */
  readonly boardSpan?: SourceSpan;
  readonly revisionSpan?: SourceSpan;
  readonly drivers: readonly { readonly driver: string; readonly peripheral: string; readonly span: SourceSpan }[];
  readonly targets: readonly Target[];
  readonly settings: readonly Setting[];
  readonly clocks: Readonly<Record<string, number>>;
}

/** Loads a configuration (layer 3). */
export function loadConfiguration(text: string, file: string): StageResult<Configuration> {
  const loaded = loadYamlWithSchema(text, file, configSchema, 'config');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const input = loaded.value;
  const located = loaded.located;
  const value: Configuration = {
    file,
    span: located.span(['name']),
    name: input.name,
    board: input.board,
    revision: input.revision,
    boardSpan: located.span(['board']),
    revisionSpan: located.span(['revision']),
    drivers: Object.entries(input.drivers).map(([driver, d]) => ({ driver, peripheral: d.peripheral, span: located.span(['drivers', driver], 'key') })),
    targets: (input.targets ?? []).map((t, i) => {
      const [peripheral = '', quantity = ''] = t.quantity.split('.');
      return {
        span: located.span(['targets', i]),
        peripheral,
        quantity,
        value: t.value,
        tolerance: t.tolerance === undefined ? 0 : toleranceValue(t.tolerance),
      };
    }),
    settings: Object.entries(input.settings ?? {}).map(([path, v]) => ({
      span: located.span(['settings', path], 'key'),
      path,
      value: typeof v === 'number' ? v : /^(0x|0b|\d)/.test(v) ? Number(v.replace(/_/g, '').replace(/^0b/, '0b')) : v,
    })),
    clocks: input.clocks ?? {},
  };
  return { value, diagnostics: loaded.diagnostics };
}
