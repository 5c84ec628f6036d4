import type { ChangeSeverity, JudgedChange, RevisionInfo } from '../types.ts';
import { RULE_IDS, severityOrder } from '../types.ts';

/**
 * The same change repeated across instances and aliases (CHIDX widened 4 → 8 in every DPPIC
 * channel of every `_S`/`_NS` peripheral) is one finding for a reader. A group is the changes with
 * the same rule, severity, waiver state, node name on each side and values; its peripherals are
 * listed once. Groups are ordered most severe first, then by rule and by first path.
 */
export interface ChangeGroup {
  readonly rule: JudgedChange['rule'];
  readonly kind: JudgedChange['kind'];
  readonly severity: ChangeSeverity;
  readonly waived: boolean;
  /** The changes of the group, in report order. */
  readonly members: readonly JudgedChange[];
  /** Distinct peripherals the members are in, in order of appearance. */
  readonly peripherals: readonly string[];
  /** One line: the first member's message, with its paths shortened to node names when grouped. */
  readonly summary: string;
}

const leaf = (path: string | undefined): string => (path === undefined ? '' : (path.split('.').pop() ?? path));
/** The peripheral a change is about, by its new name when it has one. */
const peripheralOf = (c: JudgedChange): string => (c.after?.path ?? c.before?.path ?? '').split('.')[0] ?? '';

/**
 * How finely changes are grouped: `identical` (same rule, node names and values), `values` (same
 * rule and values, whatever the names) or `rule` (same rule only): the coarser levels are the
 * fallbacks when one line per group would not fit where the report is read.
 */
export type GroupLevel = 'identical' | 'values' | 'rule';

function groupKey(c: JudgedChange, level: GroupLevel): string {
  const names = level === 'identical' ? [leaf(c.before?.path), leaf(c.after?.path)] : [];
  const values = level === 'rule' ? [] : [JSON.stringify(c.before?.value ?? null), JSON.stringify(c.after?.value ?? null)];
  return [c.rule, c.severity, c.waived ? 'w' : '', c.uncertain ? 'u' : '', ...names, ...values].join('\u0000');
}

const KIND_PLURAL: Readonly<Record<JudgedChange['kind'], string>> = {
  peripheral: 'peripherals',
  register: 'registers',
  field: 'fields',
  'enum-value': 'enum values',
};

function summarise(members: readonly JudgedChange[], peripherals: readonly string[], level: GroupLevel): string {
  const first = members[0]!;
  if (members.length === 1) return first.message;
  const where =
    first.kind === 'peripheral'
      ? `${members.length} peripherals`
      : `${members.length} ${KIND_PLURAL[first.kind]} of ${peripherals.length} peripheral${peripherals.length === 1 ? '' : 's'}`;
  if (level !== 'identical') {
    const value = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    const names = [...new Set(members.map((c) => leaf(c.after?.path ?? c.before?.path)))];
    const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more names` : names.join(', ');
    const hasValues = level === 'values' && (first.before?.value !== undefined || first.after?.value !== undefined);
    const values = hasValues ? ` ${value(first.before?.value)} → ${value(first.after?.value)}` : '';
    return `${first.rule}${values} (${shown}) — in ${where}`;
  }
  let text = first.message;
  // Longest path first, so a register path inside a field path is not replaced half-way.
  for (const path of [first.before?.path, first.after?.path].filter((p): p is string => p !== undefined).sort((a, b) => b.length - a.length)) {
    text = text.split(path).join(leaf(path));
  }
  return `${text} — in ${where}`;
}

/** Groups changes at `level`; most severe first, unwaived before waived, then rule order and path. */
export function groupChanges(changes: readonly JudgedChange[], level: GroupLevel = 'identical'): ChangeGroup[] {
  const byKey = new Map<string, JudgedChange[]>();
  for (const c of changes) {
    const key = groupKey(c, level);
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  }
  const groups = [...byKey.values()].map((members): ChangeGroup => {
    const peripherals = [...new Set(members.map(peripheralOf))];
    const first = members[0]!;
    return {
      rule: first.rule,
      kind: first.kind,
      severity: first.severity,
      waived: first.waived !== undefined,
      members,
      peripherals,
      summary: summarise(members, peripherals, level),
    };
  });
  const firstPath = (g: ChangeGroup): string => g.members[0]!.before?.path ?? g.members[0]!.after?.path ?? '';
  return groups.sort(
    (a, b) =>
      Number(a.waived) - Number(b.waived) ||
      severityOrder[b.severity] - severityOrder[a.severity] ||
      RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
      (firstPath(a) < firstPath(b) ? -1 : firstPath(a) > firstPath(b) ? 1 : 0),
  );
}

/**
 * Wording-only changes: reported as a count (and a collapsible or --verbose list), never mixed with
 * the rest. Only those graded documentation: a description change on an uncertain pairing is graded
 * at the severity of the removal it may hide, and must stay listed where breaking changes are.
 */
export const isWording = (c: JudgedChange): boolean => c.rule === 'description-changed' && c.severity === 'documentation';

/**
 * Both versions named even when the files carry the same name and version (nrf9160 "1" in two
 * releases): then the file names tell them apart.
 */
export function versionTitles(before: RevisionInfo, after: RevisionInfo): [string, string] {
  const title = (info: RevisionInfo): string => (info.revision ? `${info.name} ${info.revision}` : info.name);
  const a = title(before);
  const b = title(after);
  if (a !== b) return [a, b];
  const file = (info: RevisionInfo): string => info.file.split(/[\\/]/).pop() ?? info.file;
  return [`${a} (${file(before)})`, `${b} (${file(after)})`];
}

/**
 * One plain-text line per input that is not a valid register map: the diff compared it as written,
 * and every report says so beside its header (each renderer escapes the line for its context).
 */
export function invalidInputLines(before: RevisionInfo, after: RevisionInfo): string[] {
  const [from, to] = versionTitles(before, after);
  return (
    [
      ['before', from, before],
      ['after', to, after],
    ] as const
  ).flatMap(([side, title, info]) =>
    info.invalid
      ? [
          `The ${side} input (${title}) is not a valid register map: ${info.invalid.errors} validation error(s) (${info.invalid.codes.join(', ')}). ` +
            'It was compared as written; `specdrive validate` lists the errors.',
        ]
      : [],
  );
}
