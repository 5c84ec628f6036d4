import type { SourceSpan } from '../ir/types.ts';

/** What the matcher pairs up between two revisions. */
export type EntityKind = 'peripheral' | 'register' | 'field' | 'enum-value';
export const ENTITY_KINDS: readonly EntityKind[] = ['peripheral', 'register', 'field', 'enum-value'];

/**
 * Stable rule ids. Detection (which rule fired) is kept apart from policy (how bad it is):
 * users waive and re-grade by these ids, so they never change meaning once released.
 */
export const RULE_IDS = [
  'peripheral-added',
  'peripheral-removed',
  'peripheral-renamed',
  'peripheral-rebased',
  'register-added',
  'register-removed',
  'register-renamed',
  'register-moved',
  'register-resized',
  'field-added',
  'field-removed',
  'field-renamed',
  'field-moved',
  'field-narrowed',
  'field-widened',
  'field-split',
  'field-merged',
  'access-narrowed',
  'access-widened',
  'hw-access-changed',
  'side-effect-changed',
  'reset-changed',
  'enum-value-added',
  'enum-value-removed',
  'enum-value-renamed',
  'enum-value-renumbered',
  'array-shape-changed',
  'peripheral-collected-into-array',
  'peripheral-expanded-from-array',
  'register-collected-into-array',
  'register-expanded-from-array',
  'field-collected-into-array',
  'field-expanded-from-array',
  'description-changed',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const SEVERITIES = ['breaking', 'behavioural', 'compatible', 'documentation'] as const;
export type ChangeSeverity = (typeof SEVERITIES)[number];
/** Higher is worse; `--fail-on X` fails on every change ranked at or above X. */
export const severityOrder: Readonly<Record<ChangeSeverity, number>> = { documentation: 0, compatible: 1, behavioural: 2, breaking: 3 };

/** A JSON-friendly value carried by a change (numbers, strings, small records). */
export type ChangeValue = string | number | boolean | null | readonly ChangeValue[] | { readonly [key: string]: ChangeValue };

/** One side of a change: the node's path and span in its file, and the value that changed. */
export interface ChangeSide {
  readonly path: string;
  readonly span: SourceSpan;
  readonly value?: ChangeValue;
}

export interface Change {
  readonly rule: RuleId;
  readonly kind: EntityKind;
  readonly message: string;
  readonly before?: ChangeSide;
  readonly after?: ChangeSide;
  /** For split and merge: the other parts. */
  readonly parts?: readonly ChangeSide[];
  /** Matcher confidence of the pairing this change rests on (1 for exact path matches). */
  readonly confidence?: number;
  /** True when the best two candidates were close: a human must confirm the pairing. */
  readonly uncertain?: boolean;
  /** The runner-up candidates when uncertain. */
  readonly alternatives?: readonly string[];
  /** The pairing rests on weak evidence (one shared name token, a loosely similar description). */
  readonly weakEvidence?: boolean;
  /**
   * On a removal: a node at the same position scored as a candidate but shared nothing else (no
   * name, description, children or content), so no pairing was made; it is named in `alternatives`.
   */
  readonly positionOnly?: boolean;
}

/** A pairing of an old node with a new one. */
export interface Match {
  readonly kind: EntityKind;
  readonly before: string;
  readonly after: string;
  /**
   * `exact`: same relative path; `content`: identical contents, unique on both sides; `array`: a
   * scalar collected into an array (or an array expanded into scalars) at the same address;
   * `scored`: chosen by the model and the assignment.
   */
  readonly how: 'exact' | 'content' | 'array' | 'scored';
  readonly confidence: number;
  readonly uncertain: boolean;
  readonly alternatives?: readonly string[];
}

/**
 * Validation errors found in an input that the diff compared anyway (vendor files often carry
 * overlaps or over-wide resets that do not stop a comparison). Reports say so next to the header.
 */
export interface InputValidity {
  readonly errors: number;
  /** The distinct diagnostic codes, sorted. */
  readonly codes: readonly string[];
}

export interface RevisionInfo {
  readonly name: string;
  readonly revision?: string;
  readonly file: string;
  /** Present when the input has validation errors; absent when it is a valid register map. */
  readonly invalid?: InputValidity;
}

/** A register's bit layout as drawn by the HTML report. */
export interface RegisterLayout {
  readonly path: string;
  readonly size: number;
  readonly fields: readonly { readonly name: string; readonly lsb: number; readonly width: number; readonly access: string; readonly changed: boolean }[];
}

/** Before and after layout of a register touched by a bit-level change (either side may not exist). */
export interface LayoutPair {
  readonly before?: RegisterLayout;
  readonly after?: RegisterLayout;
}

export interface ChangeSet {
  readonly before: RevisionInfo;
  readonly after: RevisionInfo;
  /** Every pairing, exact and scored, sorted by kind then old path. */
  readonly matches: readonly Match[];
  readonly changes: readonly Change[];
  /** Layouts of the registers whose bits, access or fields changed, for pictures. */
  readonly layouts: readonly LayoutPair[];
  readonly stats: {
    readonly candidatePairs: number;
    readonly scoredMatches: number;
    readonly uncertainMatches: number;
  };
}

/** A change after policy: graded, and possibly waived. */
export interface JudgedChange extends Change {
  readonly severity: ChangeSeverity;
  readonly waived?: string;
}

export interface DiffReport {
  readonly changeSet: ChangeSet;
  readonly changes: readonly JudgedChange[];
  readonly counts: Readonly<Record<ChangeSeverity, number>>;
  readonly waivedCount: number;
  /** The `--fail-on` threshold used, if any, and whether an unwaived change reached it. */
  readonly failOn?: ChangeSeverity;
  readonly failed: boolean;
}
