import * as z from 'zod';
import type { StageResult } from '../diagnostics/types.ts';
import { loadYamlWithSchema } from '../yaml/index.ts';
import type { Change, ChangeSet, ChangeSeverity, DiffReport, JudgedChange, RuleId } from './types.ts';
import { RULE_IDS, SEVERITIES, severityOrder } from './types.ts';

/**
 * Policy: how bad each detected change is. Defaults follow the driver's point of view (see
 * docs/diff.md): anything that makes existing register accesses wrong is breaking; changes in what
 * the hardware does on the same access are behavioural; additions and renames (followed by the
 * binding stage) are compatible; text is documentation.
 */
export const DEFAULT_SEVERITY: Readonly<Record<RuleId, ChangeSeverity>> = {
  'peripheral-added': 'compatible',
  'peripheral-removed': 'breaking',
  'peripheral-renamed': 'compatible',
  'peripheral-rebased': 'breaking',
  'register-added': 'compatible',
  'register-removed': 'breaking',
  'register-renamed': 'compatible',
  'register-moved': 'breaking',
  'register-resized': 'breaking',
  'field-added': 'compatible',
  'field-removed': 'breaking',
  'field-renamed': 'compatible',
  'field-moved': 'breaking',
  'field-narrowed': 'breaking',
  'field-widened': 'compatible',
  'field-split': 'breaking',
  'field-merged': 'breaking',
  'access-narrowed': 'breaking',
  'access-widened': 'compatible',
  'hw-access-changed': 'behavioural',
  'side-effect-changed': 'behavioural',
  'reset-changed': 'behavioural',
  'enum-value-added': 'compatible',
  'enum-value-removed': 'breaking',
  'enum-value-renamed': 'compatible',
  'enum-value-renumbered': 'breaking',
  'array-shape-changed': 'breaking',
  // Same addresses, same layout: every access still lands where it did; only names changed (like a rename).
  'peripheral-collected-into-array': 'compatible',
  'peripheral-expanded-from-array': 'compatible',
  'register-collected-into-array': 'compatible',
  'register-expanded-from-array': 'compatible',
  'field-collected-into-array': 'compatible',
  'field-expanded-from-array': 'compatible',
  'description-changed': 'documentation',
};

export const POLICY_SPEC_ID = 'specdrive/diff-policy@1';

const ruleId = z.enum(RULE_IDS);
const severity = z.enum(SEVERITIES);

export const policySchema = z
  .object({
    spec: z.literal(POLICY_SPEC_ID),
    /** Re-grade rules: `register-renamed: breaking`. */
    severities: z.partialRecord(ruleId, severity).optional(),
    /** Accept known changes: matched by rule (optional) and by a glob on the before or after path. */
    waivers: z
      .array(
        z
          .object({
            path: z.string().min(1),
            rule: ruleId.optional(),
            reason: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
export type PolicyInput = z.infer<typeof policySchema>;

export interface Waiver {
  readonly path: string;
  readonly rule?: RuleId;
  readonly reason: string;
  readonly pattern: RegExp;
}

export interface Policy {
  readonly severities: Readonly<Record<RuleId, ChangeSeverity>>;
  readonly waivers: readonly Waiver[];
}

export const defaultPolicy: Policy = { severities: DEFAULT_SEVERITY, waivers: [] };

/**
 * Path globs: `*` stays inside one path segment (`UART0.*.EN`), `**` crosses segments (`UART0.**`),
 * `?` is one character. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^.]*';
    else if (c === '?') out += '[^.]';
    else out += c.replace(/[\\^$+?.()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Reads a policy YAML file; every problem is a located diagnostic (`policy/...`). */
export function loadPolicy(text: string, file: string): StageResult<Policy> {
  const loaded = loadYamlWithSchema(text, file, policySchema, 'policy');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  return {
    value: {
      severities: { ...DEFAULT_SEVERITY, ...loaded.value.severities },
      waivers: (loaded.value.waivers ?? []).map((w) => ({ ...w, pattern: globToRegExp(w.path) })),
    },
    diagnostics: loaded.diagnostics,
  };
}

/**
 * A change resting on an uncertain pairing is graded at least as the removal it may hide: if the
 * pairing is wrong, the old node is gone (a compatible "rename" of two unrelated fields is really a
 * breaking removal).
 */
function gradeOf(change: Change, policy: Policy): ChangeSeverity {
  const own = policy.severities[change.rule];
  if (!change.uncertain) return own;
  const removal = policy.severities[`${change.kind}-removed`];
  return severityOrder[removal] > severityOrder[own] ? removal : own;
}

/** Grades every change, applies waivers, counts, and decides `--fail-on`. */
export function applyPolicy(changeSet: ChangeSet, policy: Policy = defaultPolicy, failOn?: ChangeSeverity): DiffReport {
  const counts: Record<ChangeSeverity, number> = { breaking: 0, behavioural: 0, compatible: 0, documentation: 0 };
  let waivedCount = 0;
  let failed = false;
  const changes = changeSet.changes.map((change): JudgedChange => {
    const graded = gradeOf(change, policy);
    const waiver = policy.waivers.find(
      (w) => (w.rule === undefined || w.rule === change.rule) && [change.before?.path, change.after?.path].some((p) => p !== undefined && w.pattern.test(p)),
    );
    if (waiver) {
      waivedCount++;
      return { ...change, severity: graded, waived: waiver.reason };
    }
    counts[graded]++;
    if (failOn !== undefined && severityOrder[graded] >= severityOrder[failOn]) failed = true;
    return { ...change, severity: graded };
  });
  return { changeSet, changes, counts, waivedCount, ...(failOn !== undefined ? { failOn } : {}), failed };
}
