import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { deviceEntities, type Entity } from './entities.ts';
import type { SourceFormat } from '../ir/types.ts';
import { matchEntities, matchesOf, type PairScorer } from './match.ts';
import { committedWeights } from './matcher/model.ts';
import { detectChanges } from './rules.ts';
import { changedLayouts } from './layouts.ts';
import type { ChangeSet, InputValidity, Match } from './types.ts';

export interface DiffOptions {
  /** How candidate pairs are scored; default: the committed TensorFlow.js model. */
  readonly scorer?: PairScorer;
  /** File names shown in reports (default: the device's span file). */
  readonly beforeFile?: string;
  readonly afterFile?: string;
  /** Validation errors of each input, when it is compared although it is not a valid register map. */
  readonly beforeInvalid?: InputValidity;
  readonly afterInvalid?: InputValidity;
}

/** The name-only scorer, used when the model weights cannot be read, and as the evaluation baseline. */
export const NAME_ONLY_SCORER: PairScorer = { kind: 'name-only', threshold: 0.5, uncertainMargin: 0.05 };

/** Formats that say what hardware does to a field; the others' importers infer it from software access. */
const HARDWARE_ACCESS_FORMATS: ReadonlySet<SourceFormat> = new Set(['specdrive-yaml', 'systemrdl', 'hjson']);

/**
 * SVD template peripherals: base address 0, existing only so that others can be `derivedFrom`
 * them (the importer has already copied their registers into the derived peripherals, so at least
 * one other peripheral has the same contents). Nothing is ever at address 0 for a driver to lose.
 */
function templatePeripherals(roots: readonly Entity[], format: SourceFormat): Entity[] {
  if (format !== 'svd') return [];
  return roots.filter((p) => p.position === 0 && p.children.length > 0 && roots.some((q) => q !== p && q.position !== 0 && q.content === p.content));
}

/**
 * Semantic diff of two revisions of a device: pairs peripherals, registers, fields and enum values
 * (exact paths first, then the learned matcher and a global assignment) and lists the changes with
 * stable rule ids.
 */
export function diffDevices(before: Device, after: Device, options: DiffOptions = {}): StageResult<ChangeSet> {
  const diagnostics: Diagnostic[] = [];
  let scorer = options.scorer;
  if (!scorer) {
    const committed = committedWeights();
    if (committed.weights) scorer = { kind: 'model', weights: committed.weights };
    else {
      diagnostics.push({
        code: 'diff/matcher-unavailable',
        severity: 'warning',
        message: `the matcher weights are unusable (${committed.problem}); renames and moves are matched by name similarity only`,
        hint: 'run `npm run train:matcher`',
      });
      scorer = NAME_ONLY_SCORER;
    }
  }
  const oldRoots = deviceEntities(before);
  const newRoots = deviceEntities(after);
  const matching = matchEntities(oldRoots, newRoots, scorer);
  const matches = matchesOf(matching);
  const changes = detectChanges(oldRoots, newRoots, matching, {
    hardwareAccessKnown: HARDWARE_ACCESS_FORMATS.has(before.sourceFormat) && HARDWARE_ACCESS_FORMATS.has(after.sourceFormat),
    templates: new Set([...templatePeripherals(oldRoots, before.sourceFormat), ...templatePeripherals(newRoots, after.sourceFormat)]),
  });
  const scored = matches.filter((m) => m.how === 'scored');
  for (const m of scored.filter((x) => x.uncertain)) {
    diagnostics.push({
      code: 'diff/uncertain-match',
      severity: 'info',
      message: `${m.before} paired with ${m.after} at confidence ${m.confidence}, but ${m.alternatives?.join(', ')} scored close; confirm the pairing`,
      path: m.before,
    });
  }
  return {
    value: {
      before: {
        name: before.name,
        ...((before.revision ?? before.version) ? { revision: before.revision ?? before.version } : {}),
        file: options.beforeFile ?? before.span.file,
        ...(options.beforeInvalid ? { invalid: options.beforeInvalid } : {}),
      },
      after: {
        name: after.name,
        ...((after.revision ?? after.version) ? { revision: after.revision ?? after.version } : {}),
        file: options.afterFile ?? after.span.file,
        ...(options.afterInvalid ? { invalid: options.afterInvalid } : {}),
      },
      matches,
      changes,
      layouts: changedLayouts(oldRoots, newRoots, matching, changes),
      stats: { candidatePairs: matching.candidatePairs, scoredMatches: scored.length, uncertainMatches: scored.filter((m) => m.uncertain).length },
    },
    diagnostics,
  };
}

/**
 * Old path → new path for every matched node (peripherals, registers, fields, enum values). The
 * binding stage uses it to follow renamed and moved fields.
 */
export function pathMap(changeSet: ChangeSet): ReadonlyMap<string, string> {
  return new Map(changeSet.matches.map((m: Match) => [m.before, m.after]));
}
