import type { Diagnostic, StageResult } from '../src/diagnostics/types.ts';
import { hasErrors } from '../src/diagnostics/types.ts';
import { importFile } from '../src/importers/index.ts';
import { Simulator, type SimulatorOptions } from './simulator.ts';

/**
 * Imports a hardware spec (any supported format) and builds its simulator. Import errors and
 * behaviour errors (`sim/behaviour-*`) come back as located diagnostics; the simulator is only
 * returned when there are none of severity error.
 */
export function loadSimulator(file: string, options: SimulatorOptions = {}): StageResult<Simulator> {
  const imported = importFile(file);
  const diagnostics: Diagnostic[] = [...imported.diagnostics];
  if (!imported.value || hasErrors(imported.diagnostics)) return { value: undefined, diagnostics };
  const sim = new Simulator(imported.value, { ...options, ...(imported.text !== undefined ? { sourceText: imported.text } : {}) });
  diagnostics.push(...sim.diagnostics);
  return { value: hasErrors(sim.diagnostics) ? undefined : sim, diagnostics };
}
