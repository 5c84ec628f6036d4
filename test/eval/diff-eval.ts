/**
 * `npm run eval:diff`: the diff on real vendor revision pairs against hand-made labels
 * (test/fixtures/diff-labels/*.yaml). Prints precision and recall for renames and moves, for every
 * rule class, and overall, for each group of pairs (their `labelled:` header: the held-out groups
 * first, newest first, then `independent`, then `drafted`) and for every pair together.
 * `--record` writes the floors to recorded.json, which test/unit/diff/eval-labels.test.ts holds
 * the diff to: the groups already recorded except held-out ones (their floor is their first
 * measurement); `--record-group NAME` (repeatable) records that group whatever it is, leaving the
 * others as they are unless `--record` is given too — the only way a new group gets a floor
 * (label-groups.ts). `--draft BEFORE AFTER` prints the diff's changes
 * as label YAML, a starting point to check by hand against both files — never a label as is.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { importFile } from '../../src/importers/index.ts';
import { diffDevices, type Change } from '../../src/diff/index.ts';
import { groupLabels, isHeldOut, recordFloors, setFigures, type Recorded } from './label-groups.ts';

export const LABELS = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/diff-labels');
export const RECORDED = join(LABELS, 'recorded.json');

export interface LabelledChange {
  readonly rule: string;
  readonly before?: string;
  readonly after?: string;
  readonly evidence: string;
}

export interface LabelFile {
  readonly name: string;
  /** Paths relative to the label file. */
  readonly before: string;
  readonly after: string;
  /** IP family or chip the pair belongs to: kept out of the matcher's training (src/diff/matcher/split.ts). */
  readonly family: string;
  /**
   * The pair's group (label-groups.ts). `independent`: labelled from the two files before the diff
   * was ever run on them (session 3). Absent (`drafted`): the first twelve pairs, whose labels
   * started from the diff's draft and whose failure classes were fixed on them — not a held-out
   * measurement. `held-out`, `held-out-2`…: labelled from the two files before the diff was run on
   * them, and no fix made against them before their figures were first recorded: each round is a
   * held-out measurement once. The `independent` pairs stopped being held out when five misses
   * found on them were fixed; the `held-out` ones (session 3) when classes found on them were fixed
   * in session 4.
   */
  readonly labelled?: string;
  readonly changes: readonly LabelledChange[];
  /**
   * Pairings the files do not decide (one register split into two, either could continue it): the
   * diff must report them uncertain, and changes about these nodes are left out of the figures.
   */
  readonly ambiguous?: readonly { readonly before: string; readonly candidates: readonly string[]; readonly evidence: string }[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export interface Figures {
  readonly precision: number;
  readonly recall: number;
  readonly support: number;
}

/** Renames, moves, re-bases and array collections: the pairings a wrong match would corrupt. */
export const PAIRING_RULES = /-(renamed|moved|rebased|collected-into-array|expanded-from-array)$/;

export function loadLabels(): LabelFile[] {
  return readdirSync(LABELS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.yaml$/, ''), ...(parse(readFileSync(join(LABELS, f), 'utf8')) as Omit<LabelFile, 'name'>) }));
}

const key = (c: { rule: string; before?: string | { path: string }; after?: string | { path: string } }): string => {
  const path = (s: string | { path: string } | undefined): string => (s === undefined ? '-' : typeof s === 'string' ? s : s.path);
  return `${c.rule} ${path(c.before)} ${path(c.after)}`;
};

export async function diffOf(label: Pick<LabelFile, 'before' | 'after'>): Promise<readonly Change[]> {
  const load = (file: string) => {
    const imported = importFile(resolve(LABELS, file));
    if (!imported.value) throw new Error(`${file}: ${imported.diagnostics[0]?.message ?? 'does not import'}`);
    return imported.value;
  };
  return diffDevices(load(label.before), load(label.after)).value!.changes;
}

export interface Evaluation {
  readonly pairings: Figures;
  readonly overall: Figures;
  readonly rules: Readonly<Record<string, Figures>>;
  /** What was found but not labelled, and labelled but not found, per pair. */
  readonly misses: readonly string[];
  /** Changes the diff reported about ambiguous pairings, left out of the figures. */
  readonly excluded: number;
}

function figures(c: Counts): Figures {
  const r = (x: number): number => Math.round(x * 10000) / 10000;
  return { precision: r(c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp)), recall: r(c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn)), support: c.tp + c.fn };
}

/** One pair's counts, rule by rule, and its disagreements. */
export interface PairResult {
  readonly label: LabelFile;
  readonly counts: ReadonlyMap<string, Counts>;
  readonly misses: readonly string[];
  readonly excluded: number;
}

/** Runs the diff on one labelled pair and compares its changes with the labels. */
export async function evaluatePair(label: LabelFile): Promise<PairResult> {
  const counts = new Map<string, Counts>();
  const misses: string[] = [];
  const count = (rule: string, what: keyof Counts): void => {
    const c = counts.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
    c[what]++;
    counts.set(rule, c);
  };
  const ambiguous = label.ambiguous ?? [];
  const about = (path: string | undefined): boolean =>
    path !== undefined &&
    ambiguous.some((a) => path === a.before || path.startsWith(`${a.before}.`) || a.candidates.some((c) => path === c || path.startsWith(`${c}.`)));
  const decided = (c: { before?: string | { path: string }; after?: string | { path: string } }): boolean => {
    const p = (s: string | { path: string } | undefined): string | undefined => (typeof s === 'object' ? s.path : s);
    return !about(p(c.before)) && !about(p(c.after));
  };
  const changes = await diffOf(label);
  for (const a of ambiguous) {
    const pairing = changes.find((c) => c.before?.path === a.before && c.after !== undefined);
    if (pairing && !pairing.uncertain) {
      misses.push(`${label.name}: ambiguous pairing ${a.before} → ${pairing.after!.path} reported as certain`);
      count('uncertain-ambiguous', 'fp');
    }
  }
  const found = new Set(changes.filter(decided).map(key));
  const expected = new Set(label.changes.filter(decided).map(key));
  for (const k of found) {
    count(k.split(' ')[0]!, expected.has(k) ? 'tp' : 'fp');
    if (!expected.has(k)) misses.push(`${label.name}: found, not labelled: ${k}`);
  }
  for (const k of expected) {
    if (found.has(k)) continue;
    count(k.split(' ')[0]!, 'fn');
    misses.push(`${label.name}: labelled, not found: ${k}`);
  }
  return { label, counts, misses, excluded: changes.length - found.size };
}

/** The figures of a set of pairs from their per-pair results. */
export function combine(results: readonly PairResult[]): Evaluation {
  const perRule = new Map<string, Counts>();
  const pairings: Counts = { tp: 0, fp: 0, fn: 0 };
  const overall: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const r of results)
    for (const [rule, c] of r.counts) {
      const sum = perRule.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
      for (const target of [sum, overall, ...(PAIRING_RULES.test(rule) ? [pairings] : [])]) {
        target.tp += c.tp;
        target.fp += c.fp;
        target.fn += c.fn;
      }
      perRule.set(rule, sum);
    }
  const rules = Object.fromEntries([...perRule].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, c]) => [rule, figures(c)]));
  return {
    pairings: figures(pairings),
    overall: figures(overall),
    rules,
    misses: results.flatMap((r) => r.misses),
    excluded: results.reduce((n, r) => n + r.excluded, 0),
  };
}

export async function evaluate(labels: readonly LabelFile[]): Promise<Evaluation> {
  const results: PairResult[] = [];
  for (const label of labels) results.push(await evaluatePair(label));
  return combine(results);
}

export function table(e: Evaluation): string {
  const row = (name: string, f: Figures): string =>
    `${name.padEnd(32)} ${f.precision.toFixed(3).padStart(9)} ${f.recall.toFixed(3).padStart(7)} ${String(f.support).padStart(8)}`;
  return [
    `${'class'.padEnd(32)} precision  recall  support`,
    row('renames and moves', e.pairings),
    row('all changes', e.overall),
    ...Object.entries(e.rules).map(([rule, f]) => row(`  ${rule}`, f)),
  ].join('\n');
}

async function draft(before: string, after: string): Promise<void> {
  const rel = (p: string): string => relative(LABELS, resolve(p));
  const changes = await diffOf({ before: rel(before), after: rel(after) });
  const out = [`before: ${rel(before)}`, `after: ${rel(after)}`, 'family: unknown', 'changes:'];
  for (const c of changes) {
    out.push(`  - rule: ${c.rule}`);
    if (c.before) out.push(`    before: ${c.before.path}`);
    if (c.after) out.push(`    after: ${c.after.path}`);
    out.push(`    evidence: ${JSON.stringify(`${JSON.stringify(c.before?.value ?? null)} -> ${JSON.stringify(c.after?.value ?? null)}; CHECK BY HAND`)}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const args = process.argv.slice(2);
  if (args[0] === '--draft') await draft(args[1]!, args[2]!);
  else await report(args);
}

/** Prints every group's figures (held out first) and every pair's, then records the floors asked for. */
async function report(args: readonly string[]): Promise<void> {
  const labels = loadLabels();
  const results = new Map<string, PairResult>();
  for (const label of labels) results.set(label.name, await evaluatePair(label));
  const of = (set: readonly LabelFile[]): Evaluation => combine(set.map((l) => results.get(l.name)!));
  const about = (set: readonly LabelFile[], x: Evaluation): string =>
    `${set.length} pairs, ${set.reduce((n, l) => n + l.changes.length, 0)} labelled changes; ${x.excluded} reported changes about ${set.reduce((n, l) => n + (l.ambiguous?.length ?? 0), 0)} ambiguous pairings left out`;
  const recordedBefore = existsSync(RECORDED) ? (JSON.parse(readFileSync(RECORDED, 'utf8')) as Recorded) : undefined;
  const groups = groupLabels(labels);
  const out: string[] = [];
  for (const [group, set] of groups) {
    const e = of(set);
    const floor = recordedBefore?.groups[group] === undefined ? 'NO RECORDED FLOOR' : 'floor recorded';
    out.push(`${isHeldOut(group) ? 'HELD OUT ' : ''}group ${group} (${floor}; ${set.map((l) => l.name).join(', ')}; ${about(set, e)})`, table(e), '');
  }
  const e = of(labels);
  out.push(`every hand-labelled real revision pair (${about(labels, e)})`, table(e));
  for (const [group, set] of groups) {
    const misses = of(set).misses;
    if (misses.length > 0) out.push('', `${group} disagreements:`, ...misses.map((m) => `  ${m}`));
  }
  process.stdout.write(out.join('\n') + '\n');
  const explicit = new Set(args.flatMap((a, i) => (args[i - 1] === '--record-group' ? [a] : [])));
  if (!args.includes('--record') && explicit.size === 0) return;
  const unknown = [...explicit].filter((g) => !groups.some(([name]) => name === g));
  if (unknown.length > 0) throw new Error(`--record-group: no labelled pair in group ${unknown.join(', ')}`);
  const byName = new Map(labels.map((l) => [l.name, l]));
  const { recorded, unrecorded } = recordFloors(
    recordedBefore,
    groups.map(([group, set]) => [group, setFigures(set, of(set))] as const),
    (names) => {
      const set = names.map((n) => byName.get(n)!);
      return setFigures(set, of(set));
    },
    explicit,
    args.includes('--record'),
  );
  writeFileSync(RECORDED, JSON.stringify(recorded, null, 2) + '\n');
  process.stdout.write(`recorded in ${RECORDED}: ${Object.keys(recorded.groups).join(', ')}\n`);
  for (const g of unrecorded) process.stdout.write(`NOT recorded: group ${g} has no floor yet; record its first figures with --record-group ${g}\n`);
}
