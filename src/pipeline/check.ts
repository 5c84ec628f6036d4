import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device, SourceSpan } from '../ir/types.ts';
import { bindContract, bindingDiagnostics, type Binding } from '../bind/index.ts';
import type { Configuration, DriverContract, Profile } from '../contracts/index.ts';
import { solveConfiguration, type SolvedConfiguration } from '../configure/index.ts';
import type { Match } from '../diff/types.ts';
import type { Engine } from '../solve/index.ts';
import { suggest } from '../diagnostics/suggest.ts';

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

/** The revision a contract was written for, among the known revisions. */
function referenceOf(contract: DriverContract, revisions: readonly Revision[]): Revision | undefined {
  return revisions.find((r) => r.board === contract.writtenFor.board && r.revision === contract.writtenFor.revision);
}

/**
 * The instances the configurations of a revision select for a driver (`drivers.<driver>.peripheral`),
 * each once, with where the first configuration names it.
 */
function configuredInstances(configs: readonly Configuration[], revision: Revision, driver: string): { peripheral: string; span: SourceSpan }[] {
  const out = new Map<string, SourceSpan>();
  for (const config of configs) {
    if (config.board !== revision.board || config.revision !== revision.revision) continue;
    for (const d of config.drivers) if (d.driver === driver && !out.has(d.peripheral)) out.set(d.peripheral, d.span);
  }
  return [...out].map(([peripheral, span]) => ({ peripheral, span }));
}

/**
 * Layer 1 against one revision of layer 2: every contract whose reference revision is of this board
 * (or unknown) bound to it, following the diff's matches from the reference. A configuration of the
 * revision that names the driver's peripheral selects that instance; otherwise the contract binds to
 * every instance of its kind.
 */
export function bindRevision(
  contracts: readonly DriverContract[],
  revisions: readonly Revision[],
  revision: Revision,
  matchesFor?: (reference: Device, target: Device) => readonly Match[],
  engine?: Engine,
  configs: readonly Configuration[] = [],
): Binding[] {
  const bindings: Binding[] = [];
  for (const contract of contracts) {
    const reference = referenceOf(contract, revisions);
    if (reference && reference.board !== revision.board) continue;
    const matches = reference && matchesFor && reference.device !== revision.device ? matchesFor(reference.device, revision.device) : [];
    const common = { ...(reference ? { reference: reference.device } : {}), matches, ...(engine ? { engine } : {}) };
    const selected = configuredInstances(configs, revision, contract.driver);
    if (selected.length === 0) bindings.push(...bindContract(contract, revision.device, common));
    for (const s of selected) bindings.push(...bindContract(contract, revision.device, { ...common, peripheral: s.peripheral, configuredAt: s.span }));
  }
  return bindings;
}

/** Layers 3 and 4 on one revision: its configurations solved under the profile. */
export function configureRevision(
  configs: readonly Configuration[],
  revisions: readonly Revision[],
  revision: Revision,
  profile: Profile | undefined,
  engine?: Engine,
): { configurations: SolvedConfiguration[]; diagnostics: Diagnostic[] } {
  const configurations: SolvedConfiguration[] = [];
  const diagnostics: Diagnostic[] = [];
  const others = revisions.filter((r) => r.board === revision.board && r !== revision).map((r) => r.device);
  for (const config of configs.filter((c) => c.board === revision.board && c.revision === revision.revision)) {
    const solved = solveConfiguration(revision.device, config, { ...(profile ? { profile } : {}), otherRevisions: others, ...(engine ? { engine } : {}) });
    configurations.push(solved.value);
    diagnostics.push(...solved.diagnostics);
  }
  return { configurations, diagnostics };
}

/**
 * Layer 1 against layer 2 (every contract on every revision), then layers 3 and 4 (every
 * configuration on its revision under the profile).
 */
export function runCheck(input: CheckInput): CheckResult {
  const diagnostics: Diagnostic[] = [];
  for (const contract of input.contracts) {
    if (!referenceOf(contract, input.revisions)) {
      diagnostics.push({
        code: 'bind/unknown-reference',
        severity: 'warning',
        message: `${contract.driver} was written for ${contract.writtenFor.board}/${contract.writtenFor.revision}, which is not among the revisions; renames cannot be followed`,
        span: contract.span,
      });
    }
  }
  // Reported contract by contract, each over the revisions in order.
  const bindings = input.contracts.flatMap((contract) => input.revisions.flatMap((rev) => bindRevision([contract], input.revisions, rev, input.matchesFor, input.engine, input.configs)));
  diagnostics.push(...bindingDiagnostics(bindings));
  const configurations: SolvedConfiguration[] = [];
  // Reported in the order of the configuration files.
  for (const config of input.configs) {
    const rev = input.revisions.find((r) => r.board === config.board && r.revision === config.revision);
    if (!rev) {
      diagnostics.push(unknownRevision(config, input.revisions));
      continue;
    }
    const solved = configureRevision([config], input.revisions, rev, input.profile, input.engine);
    configurations.push(...solved.configurations);
    diagnostics.push(...solved.diagnostics);
  }
  return { bindings, configurations, diagnostics };
}

/**
 * A configuration naming a board or revision the project does not have: located at the `board:` or
 * `revision:` value, listing what exists and the closest name.
 */
function unknownRevision(config: Configuration, revisions: readonly Revision[]): Diagnostic {
  const boards = [...new Set(revisions.map((r) => r.board))];
  if (!boards.includes(config.board)) {
    const near = suggest(config.board, boards);
    return {
      code: 'configure/unknown-revision',
      severity: 'error',
      message: `configuration ${config.name} names board ${config.board}, which the project does not have (boards: ${boards.join(', ') || 'none'})`,
      span: config.boardSpan ?? config.span,
      ...(near ? { hint: `did you mean ${near}?` } : {}),
    };
  }
  const known = revisions.filter((r) => r.board === config.board).map((r) => r.revision);
  const near = suggest(config.revision, known);
  return {
    code: 'configure/unknown-revision',
    severity: 'error',
    message: `configuration ${config.name} names revision ${config.revision} of ${config.board}, which is not one of its revisions: ${known.join(', ')}`,
    span: config.revisionSpan ?? config.span,
    ...(near ? { hint: `did you mean ${near}?` } : {}),
  };
}
