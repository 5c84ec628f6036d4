import type { Entity } from './entities.ts';
import { BY_CONTENT, pair, type Matching } from './matching.ts';
import { nameKept } from './into-added.ts';
import { mutuallyStrongest, mutuallyUniquePairs } from './unique-pairs.ts';

/** Fewest fields renamed the same way for two registers to count as one. */
const FIELDS_RENAMED_ALIKE = 3;
/** Shortest name core two renamed fields must keep. */
const CORE = 3;

/**
 * A register whose fields were all renamed the same way, the register renamed otherwise: a clear
 * register's `CLR_EOP`, `CLR_WRPERR`, `CLR_PGSERR`… became an interrupt clear register's `EOPF`,
 * `WRPERRF`, `PGSERRF`… (a prefix dropped and a suffix added, the same for each). No field pairs
 * alone (each kept only its core), and the register names share nothing, but three or more fields —
 * and at least half of the old register's — renamed by one and the same change, each the other's
 * only such partner, each keeping its access (a write-1-to-clear bit is not the status flag it
 * clears, however alike the names), say the register continues. Runs after the field level, on the registers and
 * fields still unpaired; the old register pairs only with the new one it continues best, unique
 * both ways (a tie pairs neither).
 */
export function pairRegistersRenamedAlike(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [oldPeripheral, newPeripheral] of peripheralPairs) {
    const olds = oldPeripheral.children.filter((r) => unpaired(matching, r, 'old'));
    const news = newPeripheral.children.filter((r) => unpaired(matching, r, 'new'));
    if (olds.length === 0 || news.length === 0) continue;
    const candidates: Candidate[] = [];
    for (const o of olds)
      for (const n of news) {
        const c = renamedAlike(matching, o, n);
        if (c) candidates.push(c);
      }
    // Each register's strongest candidate: most fields renamed alike, then the register name kept at
    // either end (`CCR` → `ICR`, not `ISR` whose flags are spelt alike); none when two still tie
    // (`SR` → `NSSR` or `SECSR`: the affix copies renamed-with-fields.ts leaves unpaired).
    for (const c of mutuallyStrongest(candidates, (a, b) => a.fields.length - b.fields.length || a.names - b.names)) {
      pair(matching, c.o, c.n, BY_CONTENT);
      for (const [f, g] of c.fields) pair(matching, f, g, BY_CONTENT);
    }
  }
}

interface Candidate {
  readonly o: Entity;
  readonly n: Entity;
  readonly fields: readonly (readonly [Entity, Entity])[];
  /** How many letters of the old register's name the new one keeps at its start or end (into-added.ts). */
  readonly names: number;
}

function unpaired(matching: Matching, r: Entity, side: 'old' | 'new'): boolean {
  if (r.children.length < 2 || matching.inArray.has(r)) return false;
  return side === 'old' ? !matching.byOld.has(r) : !matching.byNew.has(r);
}

/** The one change renaming the most unpaired fields of `o` into `n`, when it renames enough of them. */
function renamedAlike(matching: Matching, o: Entity, n: Entity): Candidate | undefined {
  const olds = o.children.filter((f) => !matching.byOld.has(f));
  const news = n.children.filter((g) => !matching.byNew.has(g));
  const changes = new Map<string, number>();
  for (const f of olds)
    for (const g of news) if (f.access === g.access) for (const c of coreChanges(f.squashed, g.squashed)) changes.set(c, (changes.get(c) ?? 0) + 1);
  let best: Candidate | undefined;
  for (const [change, count] of changes) {
    if (count < FIELDS_RENAMED_ALIKE || (best && count <= best.fields.length)) continue;
    const fields = mutuallyUniquePairs(
      olds,
      news,
      () => 0,
      (f, g) => f.access === g.access && coreChanges(f.squashed, g.squashed).includes(change),
    );
    if (fields.length >= FIELDS_RENAMED_ALIKE && 2 * fields.length >= o.children.length && (!best || fields.length > best.fields.length))
      best = { o, n, fields, names: nameKept(n.squashed, [o.squashed]) };
  }
  return best;
}

/**
 * How name `a` becomes name `b` around a common core of three letters or more: `before>after`
 * at each end (`clreop` → `eopf`: `clr>|>f`). Empty for equal names and when only digits change.
 */
export function coreChanges(a: string, b: string): string[] {
  if (a.replace(/[0-9]+/g, '') === b.replace(/[0-9]+/g, '')) return [];
  const out: string[] = [];
  // Longest common substrings (dynamic programming over the two short names).
  let longest = 0;
  const at: [number, number][] = [];
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : 0;
      diagonal = above;
      if (row[j]! > longest) {
        longest = row[j]!;
        at.length = 0;
      }
      if (row[j]! === longest && longest > 0) at.push([i - longest, j - longest]);
    }
  }
  if (longest < CORE) return out;
  for (const [i, j] of at) {
    const ends = [a.slice(0, i), b.slice(0, j), a.slice(i + longest), b.slice(j + longest)];
    const change = `${ends[0]}>${ends[1]}|${ends[2]}>${ends[3]}`;
    if (!out.includes(change)) out.push(change);
  }
  return out;
}
