import type { Entity } from './entities.ts';
import type { Matching } from './match.ts';
import { evidenceOf } from './evidence.ts';
import { groupBy } from './group-by.ts';

/**
 * Parallel registers — the same fields in several registers of one peripheral, like OpenTitan's
 * INTR_STATE, INTR_ENABLE and INTR_TEST — describe one set of things. Their fields must pair the
 * same way in each: when the pairings disagree (rx_overflow → rx_threshold in one register and →
 * nothing in another), the choice with the most support across the group (sum of confidences;
 * ties to the lexically first name) is applied to every register of the group.
 */
export function reconcileParallelFields(peripheralPairs: readonly (readonly [Entity, Entity])[], matching: Matching): void {
  for (const [oldPeripheral] of peripheralPairs) {
    // Nothing to reconcile where every field kept its name in its register (the common case).
    if (oldPeripheral.children.every((r) => r.children.every((f) => matching.byOld.get(f)?.how === 'exact'))) continue;
    // Paired registers of two or more fields, by their field names.
    const groups = groupBy(oldPeripheral.children, (register) =>
      register.children.length < 2 || !matching.byOld.has(register)
        ? undefined
        : register.children
            .map((f) => f.squashed)
            .sort()
            .join(','),
    );
    for (const registers of groups.values()) if (registers.length >= 2) reconcileGroup(registers, matching);
  }
}

const UNPAIRED = '';
/** Vote of a pairing made on identical content and description (see content.ts). */
const CONTENT_WEIGHT = 10;

function reconcileGroup(registers: readonly Entity[], matching: Matching): void {
  const fieldNames = registers[0]!.children.map((f) => f.squashed);
  for (const name of fieldNames) {
    const votes = new Map<string, number>();
    for (const register of registers) {
      const field = register.children.find((f) => f.squashed === name)!;
      const pairing = matching.byOld.get(field);
      // Only pairings inside the register's own counterpart count: a field that moved away is not parallel.
      const target = pairing && pairing.to.parent === matching.byOld.get(register)!.to ? pairing.to.squashed : UNPAIRED;
      // Identical content and wording outweighs names: a parallel register's field may carry only the name.
      const weight = !pairing ? 0.5 : pairing.how === 'content' ? CONTENT_WEIGHT : pairing.confidence;
      votes.set(target, (votes.get(target) ?? 0) + weight);
    }
    if (votes.size < 2) continue;
    const [winner, support] = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    for (const register of registers) {
      const field = register.children.find((f) => f.squashed === name)!;
      const counterpart = matching.byOld.get(register)!.to;
      const current = matching.byOld.get(field);
      if ((current?.to.squashed ?? UNPAIRED) === winner && (current === undefined || current.to.parent === counterpart)) continue;
      if (current?.how === 'exact' && support < CONTENT_WEIGHT) continue; // only identical content overrules a name
      const target = winner === UNPAIRED ? undefined : counterpart.children.find((g) => g.squashed === winner);
      if (winner !== UNPAIRED && !target) continue;
      const displaced = target ? matching.byNew.get(target) : undefined;
      if (displaced && matching.byOld.get(displaced)?.how === 'exact' && support < CONTENT_WEIGHT) continue;
      if (current) {
        matching.byOld.delete(field);
        matching.byNew.delete(current.to);
      }
      if (!target) continue;
      if (displaced) matching.byOld.delete(displaced);
      matching.positionOnly.delete(field);
      // A parallel register's field inherits the evidence of its group's content-identical pairing.
      const evidence = support >= CONTENT_WEIGHT ? 'strong' : evidenceOf(field, target);
      if (evidence === 'none') {
        matching.byNew.delete(target);
        matching.positionOnly.set(field, target);
        continue;
      }
      matching.byOld.set(field, {
        to: target,
        how: 'scored',
        confidence: current?.confidence ?? 0.5,
        uncertain: evidence === 'weak',
        alternatives: [],
        ...(evidence === 'weak' ? { weakEvidence: true } : {}),
      });
      matching.byNew.set(target, field);
    }
  }
}
