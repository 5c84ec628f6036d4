import type { Device } from '../../../src/ir/types.ts';
import { importText } from '../../../src/importers/index.ts';

/** A native spec with one peripheral whose registers are given as YAML lines (for rule fixtures). */
export function deviceFrom(registersYaml: string, options: { name?: string; base?: string; file?: string; revision?: string } = {}): Device {
  const text = [
    'spec: specdrive/hardware@1',
    'board: fixture',
    `revision: ${options.revision ?? 'r1'}`,
    'peripherals:',
    `  ${options.name ?? 'UART0'}:`,
    `    base: ${options.base ?? '0x4000_1000'}`,
    '    registers:',
    ...registersYaml
      .trim()
      .split('\n')
      .map((l) => `      ${l}`),
    '',
  ].join('\n');
  const result = importText(text, options.file ?? 'fixture.yaml');
  if (!result.value) throw new Error(`fixture does not import: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}
