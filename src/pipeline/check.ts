import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { bindContract, bindingDiagnostics, type Binding } from '../bind/index.ts';
import type { Configuration, DriverContract, Profile } from '../contracts/index.ts';
import { solveConfiguration, type SolvedConfiguration } from '../configure/index.ts';
import type { Match } from '../diff/types.ts';
import type { Engine } from '../solve/index.ts';

export interface Revision {
  readonly board: string;
  readonly revision: string;
  readonly file: string;
  readonly device: Device;
}

export interface CheckInput {
  /** Every revision of every board, oldest first per board. */
  readonly revisions: readonly Revision[];
  readonly contracts: readonly DriverContract[];
  readonly configs: readonly Configuration[];
  readonly profile?: Profile;
  /** Matches from the reference revision to the target (from the diff), to follow renames. */
  readonly matchesFor?: (reference: Device, target: Device) => readonly Match[];
  readonly engine?: Engine;
}

export interface CheckResult {
  readonly bindings: readonly Binding[];
  readonly configurations: readonly SolvedConfiguration[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Layer 1 against layer 2 (every contract on every revision), then layers 3 and 4 (every
 * configuration on its revision under the profile).
 */
export function runCheck(input: CheckInput): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const bindings: Binding[] = [];
  for (const contract of input.contracts) {
    const reference = input.revisions.find((r) => r.board === contract.writtenFor.board && r.revision === contract.writtenFor.revision);
    if (!reference) {
      diagnostics.push({
        code: 'bind/unknown-reference',
        severity: 'warning',
        message: `${contract.driver} was written for ${contract.writtenFor.board}/${contract.writtenFor.revision}, which is not among the revisions; renames cannot be followed`,
        span: contract.span,
      });
    }
    for (const rev of input.revisions) {
      if (reference && rev.board !== reference.board) continue;
      const matches = reference && input.matchesFor && reference.device !== rev.device ? input.matchesFor(reference.device, rev.device) : [];
      bindings.push(...bindContract(contract, rev.device, { ...(reference ? { reference: reference.device } : {}), matches }));
    }
  }
  diagnostics.push(...bindingDiagnostics(bindings));
  const configurations: SolvedConfiguration[] = [];
  for (const config of input.configs) {
    const rev = input.revisions.find((r) => r.board === config.board && r.revision === config.revision);
    if (!rev) {
      diagnostics.push({ code: 'configure/unknown-revision', severity: 'error', message: `configuration ${config.name} names ${config.board} ${config.revision}, which is not a known revision`, span: config.span });
      continue;
    }
    const others = input.revisions.filter((r) => r.board === config.board && r !== rev).map((r) => r.device);
    const solved = solveConfiguration(rev.device, config, { ...(input.profile ? { profile: input.profile } : {}), otherRevisions: others, ...(input.engine ? { engine: input.engine } : {}) });
    configurations.push(solved.value);
    diagnostics.push(...solved.diagnostics);
  }
  return { bindings, configurations, diagnostics };
}
