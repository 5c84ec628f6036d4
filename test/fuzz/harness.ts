/**
 * Shared pieces of the fuzz suite: how many cases to run, the per-case hang guard, the outcome
 * property every stage must satisfy, and text mutations applied to real files.
 *
 * CI runs a bounded number of cases (FUZZ_RUNS, default below); `npm run fuzz` sets a large one.
 * A failure prints fast-check's seed and path; replay with FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';
import type { Diagnostic, StageResult } from '../../src/diagnostics/types.ts';
import { cpuNow } from '../cpu-time.ts';

/** Cases per property in CI mode. Small on purpose: the machine is shared and CI must stay fast. */
export const DEFAULT_FUZZ_RUNS = 30;
export const FUZZ_RUNS = positiveInt(process.env.FUZZ_RUNS, DEFAULT_FUZZ_RUNS);
/**
 * Per-case bound: CPU time for synchronous cases (independent of machine load), wall-clock time ×10
 * for asynchronous ones (which wait on sockets and timers). A hang guard, not a latency claim: far
 * above what any case takes, so it only trips on runaway loops or exponential blow-ups.
 */
export const CASE_BOUND_MS = positiveInt(process.env.FUZZ_CASE_MS, 2000);
const ASYNC_CASE_BOUND_MS = CASE_BOUND_MS * 10;

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** fast-check parameters for one property; `weight` scales the case count for cheap properties. */
export function fuzzParams<T>(weight = 1): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return {
    numRuns: Math.max(1, Math.round(FUZZ_RUNS * weight)),
    ...(seed !== undefined && Number.isFinite(seed) ? { seed } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
    // Shrinking re-runs cases; a bounded budget keeps a failing CI run from taking minutes.
    endOnFailure: process.env.FUZZ_SHRINK !== '1',
  };
}

/** Counts every case that ran, per suite, so the long run can report its totals. */
export const caseCounter = new Map<string, number>();
export function countCase(suite: string): void {
  caseCounter.set(suite, (caseCounter.get(suite) ?? 0) + 1);
}
// One line per test file with the cases that ran (`npm run fuzz` quotes these in its summary).
afterAll(() => {
  if (caseCounter.size > 0) console.log(`fuzz cases: ${[...caseCounter].map(([k, n]) => `${k}=${n}`).join(' ')}`);
});

/** Fails a case that threw or ran past the bound; the message names the case. */
function checkCase(label: string, startedAt: number, error?: unknown, clock: 'cpu' | 'wall' = 'cpu'): void {
  if (error !== undefined) throw new Error(`${label}: threw ${(error as Error).stack ?? String(error)}`);
  const ms = (clock === 'cpu' ? cpuNow() : performance.now()) - startedAt;
  const bound = clock === 'cpu' ? CASE_BOUND_MS : ASYNC_CASE_BOUND_MS;
  if (ms > bound) throw new Error(`${label}: took ${ms.toFixed(0)} ms of ${clock} time (bound ${bound} ms)`);
}

/** Runs `work`, failing when it throws or exceeds the per-case bound. Returns its value. */
export function timed<T>(label: string, work: () => T): T {
  const start = cpuNow();
  let value: T;
  try {
    value = work();
  } catch (error) {
    checkCase(label, start, error ?? 'undefined was thrown');
    throw error;
  }
  checkCase(label, start);
  return value;
}

export async function timedAsync<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  let value: T;
  try {
    value = await work();
  } catch (error) {
    checkCase(label, start, error ?? 'undefined was thrown', 'wall');
    throw error;
  }
  checkCase(label, start, undefined, 'wall');
  return value;
}

const CODE = /^[a-z][a-z0-9-]*(\/[a-z0-9-]+)+$/;

/**
 * What is wrong with a stage result under the suite's property: a value, or located diagnostics.
 * Every diagnostic has a stable code; every error has a span with line and column ≥ 1 (so the CLI
 * can show file:line:col); a missing value comes with at least one error; `internal/*` codes are
 * crashes the stage caught itself, which still count as bugs.
 */
export function outcomeProblems(result: StageResult<unknown>, requireSpans = true): string[] {
  const problems: string[] = [];
  if (typeof result !== 'object' || result === null || !Array.isArray(result.diagnostics)) return ['not a StageResult'];
  for (const d of result.diagnostics) problems.push(...diagnosticProblems(d, requireSpans));
  if (result.value === undefined && !result.diagnostics.some((d) => d.severity === 'error')) problems.push('no value and no error diagnostic');
  return problems;
}

function diagnosticProblems(d: Diagnostic, requireSpans: boolean): string[] {
  const out: string[] = [];
  const where = `${d.code}: ${d.message.slice(0, 160)}`;
  if (typeof d.code !== 'string' || !CODE.test(d.code)) out.push(`bad code ${JSON.stringify(d.code)}`);
  if (d.code.startsWith('internal/')) out.push(`internal error ${where}`);
  if (requireSpans && d.severity === 'error') {
    const s = d.span;
    if (!s) out.push(`error without span ${where}`);
    else if (!(Number.isInteger(s.line) && s.line >= 1 && Number.isInteger(s.column) && s.column >= 1)) out.push(`bad span ${s.line}:${s.column} on ${where}`);
  }
  return out;
}

export function assertOutcome(label: string, result: StageResult<unknown>, requireSpans = true): void {
  const problems = outcomeProblems(result, requireSpans);
  if (problems.length > 0) throw new Error(`${label}: ${problems.slice(0, 5).join('; ')}`);
}

export { DATA, readData, svdSlice } from './seeds.ts';

// ---- mutations -------------------------------------------------------------------------------

/** Characters and tokens that tend to break parsers: delimiters, escapes, huge numbers, NULs. */
const NASTY = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '#',
  '\n',
  '\r',
  '\t',
  '\0',
  '\\',
  '/',
  '*',
  '-',
  ' ',
  '0x',
  '0xFFFFFFFFFFFFFFFF',
  '-1',
  '4294967296',
  '99999999999999999999',
  '1e309',
  'NaN',
  '0b',
  '..',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&undefined;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?',
  '?>',
  '</',
  '/>',
  '*a0',
  '&a0 ',
  '!!binary',
  '---',
  '...',
  '`include "x"',
  '`define',
  'addrmap',
  'reg',
  'field',
  '[32]',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '😀',
  '%',
];

export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly kind: 'duplicate-element'; readonly which: number; readonly times: number }
  | { readonly kind: 'flip-byte'; readonly at: number; readonly value: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const token = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: position, text: token }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: token }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 400 }), to: position }),
  fc.record({ kind: fc.constant('duplicate-element' as const), which: position, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('flip-byte' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

/**
 * Finds the extent of a markup element or a bracketed block starting near `which`: for XML the
 * element whose start tag is chosen, for brace/bracket formats (hjson, SystemRDL) the balanced block,
 * for YAML the line and its more-indented followers. Duplicating it makes duplicate names, overlaps
 * and repeated definitions — the structural mistakes real files contain.
 */
function elementExtent(text: string, which: number): [number, number] | undefined {
  const starts: number[] = [];
  for (let i = text.indexOf('<'); i >= 0 && starts.length < 5000; i = text.indexOf('<', i + 1)) if (/[A-Za-z]/.test(text[i + 1] ?? '')) starts.push(i);
  if (starts.length > 0) {
    const start = starts[Math.floor(which * starts.length)]!;
    const name = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(start))?.[1];
    if (!name) return undefined;
    const close = text.indexOf(`</${name}>`, start);
    return close < 0 ? undefined : [start, close + name.length + 3];
  }
  const opens: number[] = [];
  for (let i = 0; i < text.length && opens.length < 5000; i++) if (text[i] === '{' || text[i] === '[') opens.push(i);
  if (opens.length > 0) {
    const start = opens[Math.floor(which * opens.length)]!;
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      if (depth === 0) return [start, i + 1];
    }
    return undefined;
  }
  const lines = text.split('\n');
  const line = Math.floor(which * lines.length);
  const indent = (s: string): number => s.length - s.trimStart().length;
  let end = line + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || indent(lines[end]!) > indent(lines[line]!))) end++;
  const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const length = lines.slice(line, end).reduce((n, l) => n + l.length + 1, 0);
  return [offset, Math.min(text.length, offset + length)];
}

export function applyMutation(text: string, m: Mutation): string {
  const at = (fraction: number): number => Math.floor(fraction * (text.length + 1));
  switch (m.kind) {
    case 'replace': {
      const i = at(m.at);
      return text.slice(0, i) + m.text + text.slice(i + Math.max(1, m.text.length));
    }
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'duplicate': {
      const i = at(m.at);
      const to = at(m.to);
      return text.slice(0, to) + text.slice(i, i + m.length) + text.slice(to);
    }
    case 'duplicate-element': {
      const extent = elementExtent(text, m.which);
      if (!extent) return text;
      const block = text.slice(extent[0], extent[1]);
      return text.slice(0, extent[1]) + block.repeat(m.times) + text.slice(extent[1]);
    }
    case 'flip-byte': {
      // Operates on UTF-8 bytes, so multi-byte sequences get broken as a corrupted file would be.
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      bytes[Math.floor(m.at * bytes.length)] = m.value;
      return bytes.toString('utf8');
    }
  }
}

export function mutate(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}
