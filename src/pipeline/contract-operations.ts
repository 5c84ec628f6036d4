import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { bindContract } from '../bind/index.ts';
import type { GenOperation } from '../../generators/index.ts';
import type { Engine } from '../solve/index.ts';
import { loadSoftwareSpecs } from './load-software-specs.ts';
import { lowerContract } from './lower-operations.ts';
import { matchesBetween } from './matches.ts';

/** `*.driver.yaml` files of a folder (sorted, recursively), or the file itself. */
export function contractFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? contractFiles(join(path, e.name)) : e.name.endsWith('.driver.yaml') ? [join(path, e.name)] : []));
}

/**
 * The contract operations `generate --contracts` adds to a spec's SDKs: each contract bound to the
 * device (the device is its own reference when the contract was written for it), its usable
 * operations lowered with the chosen engine. A broken operation is left out with a warning (the
 * SDK is still useful); an undecided one, or a solver error, is an error: no partial output.
 */
export function contractOperations(
  device: Device,
  files: readonly string[],
  engine: Engine,
  reference?: Device,
): { value: GenOperation[]; diagnostics: Diagnostic[] } {
  const specs = loadSoftwareSpecs({ contracts: files, configs: [], profiles: [] });
  const diagnostics: Diagnostic[] = [...specs.diagnostics];
  const operations: GenOperation[] = [];
  for (const contract of specs.contracts) {
    // The revision the contract was written for: given (renames followed through the diff's
    // matches), or this one when it is that revision; otherwise fields are found by path only.
    const own = contract.writtenFor.board === (device.board ?? device.name) && contract.writtenFor.revision === (device.revision ?? device.version);
    const ref = reference ?? (own ? device : undefined);
    const bound = bindContract(contract, device, { ...(ref ? { reference: ref, matches: ref === device ? [] : matchesBetween(ref, device) } : {}), engine });
    for (const d of bound.diagnostics) {
      if (d.code === 'bind/broken-operation') diagnostics.push({ ...d, severity: 'warning', message: `left out of the generated code: ${d.message}` });
      else if (d.severity !== 'info') diagnostics.push(d);
    }
    for (const binding of bound.value) operations.push(...lowerContract({ contract, binding, device, engine }, diagnostics));
  }
  return { value: operations, diagnostics };
}
