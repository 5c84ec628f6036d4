import type { Diagnostic } from '../diagnostics/types.ts';
import type { Binding } from '../bind/index.ts';
import type { SolvedConfiguration } from '../configure/index.ts';
import type { Change, ChangeSeverity, LayoutPair } from '../diff/types.ts';

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface GeneratedTarget {
  readonly target: string;
  /** Output folder, relative to the working folder. */
  readonly dir: string;
  readonly files: number;
  /** True when the folder was already up to date (inputs unchanged). */
  readonly unchanged: boolean;
}

export interface CompileResult {
  readonly target: string;
  readonly status: StepStatus;
  readonly command: string;
  /** Compiler output, trimmed; empty when it passed quietly. */
  readonly output: string;
}

export interface ScenarioResult {
  readonly driver: string;
  readonly scenario: string;
  readonly target: string;
  readonly status: StepStatus;
  readonly message: string;
}

/** Everything `specdrive ci` learned about one revision. Plain data: cached as JSON, rendered by reports. */
export interface RevisionReport {
  readonly board: string;
  readonly revision: string;
  readonly file: string;
  readonly specHash: string;
  /** Hash of every input of this revision's run; equal keys mean the cached result stands. */
  readonly inputsKey: string;
  /** Set when the result depends on the board's other revisions (an unmet configuration lists those that would meet it). */
  readonly siblingsKey?: string;
  readonly cached: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly diff?: {
    readonly against: string;
    /** Graded by the diff's default policy (severity per change). */
    readonly changes: readonly (Change & { readonly severity?: ChangeSeverity })[];
    /** Before/after layouts of every register with a structural change, for drawing. */
    readonly layouts: readonly LayoutPair[];
  };
  readonly bindings: readonly Binding[];
  readonly configurations: readonly SolvedConfiguration[];
  readonly generated: readonly GeneratedTarget[];
  readonly compiled: readonly CompileResult[];
  readonly scenarios: readonly ScenarioResult[];
}

export interface CiReport {
  readonly project: string;
  readonly revisions: readonly RevisionReport[];
  /** Project-level findings (loading contracts, configurations). */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: {
    readonly revisions: number;
    readonly cached: number;
    readonly broken: number;
    readonly attention: number;
    readonly unsatisfiable: number;
    readonly generateFailures: number;
    readonly compileFailures: number;
    readonly scenariosPassed: number;
    readonly scenariosFailed: number;
  };
}
