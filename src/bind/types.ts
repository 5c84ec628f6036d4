import type { SourceSpan } from '../ir/types.ts';

export type Verdict = 'unchanged' | 'adapted' | 'attention' | 'broken';
export const verdictRank: Readonly<Record<Verdict, number>> = { unchanged: 0, adapted: 1, attention: 2, broken: 3 };

/** One requirement of a role that the revision fails, with both sides located. */
export interface Conflict {
  /** Stable id of the requirement, e.g. `role:loopback:present`. */
  readonly requirement: string;
  readonly message: string;
  /** Where the contract states the requirement. */
  readonly contractSpan: SourceSpan;
  /** Where the revision (or, for a removal, the reference revision) has the field. */
  readonly hardwareSpan?: SourceSpan;
  /** What would fix it (e.g. the overlay line that gives a peripheral its kind). */
  readonly hint?: string;
}

export interface RoleBinding {
  readonly role: string;
  /** Field path in the bound revision (peripheral-relative), when found. */
  readonly field?: string;
  /** How it was found: same path, a declared former name, or the diff's match. */
  readonly via?: 'path' | 'was' | 'diff';
  readonly span?: SourceSpan;
  /** What differs from the reference revision that generated code adapts to (rename, move, widen…). */
  readonly adaptations: readonly string[];
  /** Semantic changes nobody declared: a human should look. */
  readonly attention: readonly string[];
  readonly conflicts: readonly Conflict[];
}

export interface OperationVerdict {
  readonly operation: string;
  readonly span: SourceSpan;
  readonly verdict: Verdict;
  /** Why: adaptations, attention notes or the minimal conflict. */
  readonly reasons: readonly string[];
  /** For broken operations: the smallest set of requirements that cannot hold together. */
  readonly conflicts: readonly Conflict[];
}

export interface Binding {
  readonly driver: string;
  readonly contractFile: string;
  readonly board: string;
  readonly revision: string;
  readonly peripheral?: string;
  readonly roles: readonly RoleBinding[];
  readonly operations: readonly OperationVerdict[];
  /** Worst verdict over the operations. */
  readonly verdict: Verdict;
}
