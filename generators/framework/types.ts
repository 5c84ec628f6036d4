import type { z } from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { Device, SourceSpan } from '../../src/ir/types.ts';

/**
 * What every generator reads. Built once per run by `buildGeneratorModel`; generators never look at
 * files, the clock or the environment, so the same model always gives the same bytes.
 */
export interface GeneratorModel {
  readonly device: Device;
  /** `specHash(device)`: carried in every file header and checked by HELLO at run time. */
  readonly specHash: string;
  /** Driver operations, resolved to registers and fields (from contract binding, or generic ones). */
  readonly operations: readonly GenOperation[];
  /** Solved configuration: concrete field values, emitted as named constants. */
  readonly config?: GenConfig;
}

/** A solved configuration as generators see it: field paths and their values. */
export interface GenConfig {
  readonly name: string;
  readonly values: readonly { readonly path: string; readonly value: number; readonly span?: SourceSpan }[];
}

/**
 * A driver operation with every role already resolved to a field of this revision. Steps are a small
 * language every target renders; new step kinds are added here and in each target's step renderer.
 */
export interface GenOperation {
  readonly name: string;
  /** Peripheral the operation drives. */
  readonly peripheral: string;
  readonly description?: string;
  readonly span?: SourceSpan;
  readonly params: readonly GenParam[];
  readonly returns?: 'u8' | 'u16' | 'u32' | 'bool';
  readonly steps: readonly GenStep[];
  /** Where it comes from: a contract (`uart/enable`) or `generic`. */
  readonly origin: string;
}

/**
 * An operation parameter. An `enum` parameter takes one of `values` (the names the contract's role
 * writes, with this revision's numbers): targets render it as a typed enum and check it.
 */
export type GenParam =
  | { readonly name: string; readonly type: 'u8' | 'u16' | 'u32' | 'bool' }
  | { readonly name: string; readonly type: 'enum'; readonly values: readonly { readonly name: string; readonly value: number }[] };

/** A value in a step: a constant, an operation parameter or a local read earlier. */
export type GenValue = { readonly const: number } | { readonly param: string } | { readonly local: string };

/** One field of a register write and the value it gets. */
export interface GenFieldValue {
  readonly field: string;
  readonly value: GenValue;
}

/** Field writes to one register (inside a `select` case, done as a masked modify). */
export interface GenRegisterWrites {
  readonly register: string;
  readonly fields: readonly GenFieldValue[];
}

/**
 * A value solved at generation time for each of a table of targets (a contract's `solve` step):
 * at run time the case whose `value` equals `on` has its writes done as masked modifies; a value
 * with no case is an error of the operation (C: `SD_ERR_UNSUPPORTED`; TS/Python: `OperationError`
 * with code `unsupported`), never a silently wrong register value.
 */
export interface GenSelectStep {
  readonly kind: 'select';
  readonly on: GenValue;
  /** The quantity the cases were solved for (`baud`): for comments and error messages. */
  readonly quantity: string;
  readonly cases: readonly { readonly value: number; readonly writes: readonly GenRegisterWrites[] }[];
  /** A value no case covers is searched for at run time (src/pipeline/product-divider.ts). */
  readonly search?: GenProductSearch;
}

/**
 * The bounded run-time search of a product-form divider `clock / (coef·(F₁ + o₁)·(F₂ + o₂))`, the
 * outer factor first: the least |clock − t·divisor| within `ppm`, as the solver (see
 * searchProductDivider in src/pipeline/product-divider.ts, which every target mirrors).
 */
export interface GenProductSearch {
  readonly clock: { readonly name: string; readonly hz: number };
  readonly coef: number;
  readonly ppm: number;
  readonly factors: readonly [GenSearchFactor, GenSearchFactor];
}

export interface GenSearchFactor {
  readonly register: string;
  readonly field: string;
  readonly offset: number;
  readonly max: number;
}

/**
 * A divider computed at run time from the solved formula `clock / (unit·V + offset)` (a contract's
 * `solve` step whose quantity has a closed-form inverse, src/pipeline/divider-form.ts): V is the
 * value nearest `(clock − offset·on) / (unit·on)` (a tie to the lower), refused as `unsupported`
 * unless within `ppm` — the solver's rounding and tolerance. V is computed and checked before the
 * operation's first write; at this step its digits go into the fields (`weight` = place value).
 */
export interface GenDivideStep {
  readonly kind: 'divide';
  readonly on: GenValue;
  readonly quantity: string;
  readonly clock: { readonly name: string; readonly hz: number };
  readonly unit: number;
  readonly offset: number;
  readonly maxV: number;
  readonly ppm: number;
  /** Largest place value first; all in one register. */
  readonly register: string;
  readonly fields: readonly { readonly field: string; readonly weight: number }[];
}

/** Register paths are relative to the peripheral (`CTRL`, `CH[0].CTRL` is not allowed: arrays get index 0). */
export type GenStep =
  | { readonly kind: 'write'; readonly register: string; readonly fields: readonly GenFieldValue[] }
  | { readonly kind: 'modify'; readonly register: string; readonly fields: readonly GenFieldValue[] }
  | { readonly kind: 'read'; readonly register: string; readonly field: string; readonly into: string }
  /**
   * Poll until `(field == equals)`; when `timeoutMs` milliseconds pass first, the operation fails
   * (C: `SD_ERR_TIMEOUT`; TS/Python: `OperationError` with code `timeout`), as the reference
   * executor (src/scenarios/executor.ts) does.
   */
  | { readonly kind: 'wait'; readonly register: string; readonly field: string; readonly equals: GenValue; readonly timeoutMs: GenValue }
  /** Clear a flag the way its access says (write 1 for W1C, 0 for W0C, read for R2C). */
  | { readonly kind: 'clear'; readonly register: string; readonly field: string }
  | GenSelectStep
  | GenDivideStep
  | { readonly kind: 'return'; readonly value: GenValue };

/** One output file, path relative to the target's output folder, `/` separated. */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
}

/**
 * A big file handed over as its text in order, in pieces that are never joined (the SVD export, the
 * HTML reference): the runner hashes and writes piece by piece. The pieces may be made as they are
 * asked for (a generator function): they are iterated exactly once, while `emit` runs, so a file's
 * text need never be held whole (docs/performance.md). Pieces split between characters, never inside one.
 */
export interface PiecewiseFile {
  readonly path: string;
  readonly pieces: Iterable<string>;
}

/** What a generator makes: whole files, or big ones in pieces. */
export type OutputFile = GeneratedFile | PiecewiseFile;

/** Takes one file from a generator (generators/framework/runner.ts renderInto). */
export type EmitFile = (file: OutputFile) => void;

/** The comment syntax used for the provenance header of a file, chosen by extension. */
export type HeaderStyle = 'c' | 'hash' | 'xml' | 'json' | 'none';

export interface GeneratorDefinition<C = unknown> {
  /** CLI name (`c`, `ts`, `python`, `docs`, `svd`). */
  readonly name: string;
  /** Bumped when output changes for the same inputs; part of every header and of the skip hash. */
  readonly version: string;
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  /**
   * Pure: the same model and config always give the same files, each handed to `emit` as soon as it
   * is made (the runner stages it, or collects it), so a big target's text is never all held at once.
   * Problems are the diagnostics returned; with an error among them, the emitted files are discarded.
   */
  generate(model: GeneratorModel, config: C, emit: EmitFile): readonly Diagnostic[];
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds generators whose config types differ; the type erases them.
export type AnyGenerator = GeneratorDefinition<any>;

export type { Diagnostic };
