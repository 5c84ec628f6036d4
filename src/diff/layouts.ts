import type { Field } from '../ir/types.ts';
import type { Entity } from './entities.ts';
import type { Matching } from './match.ts';
import type { Change, LayoutPair, RegisterLayout, RuleId } from './types.ts';

/** Rules that do not alter a register's picture (text, enum names and numbers). */
const NOT_DRAWN: ReadonlySet<RuleId> = new Set([
  'description-changed',
  'enum-value-added',
  'enum-value-removed',
  'enum-value-renamed',
  'enum-value-renumbered',
]);

/**
 * Before/after bit layouts of every register touched by a drawable change, paired through the
 * matching, with the fields named in those changes marked.
 */
export function changedLayouts(oldRoots: readonly Entity[], newRoots: readonly Entity[], matching: Matching, changes: readonly Change[]): LayoutPair[] {
  const drawn = changes.filter((c) => !NOT_DRAWN.has(c.rule) && (c.kind === 'register' || c.kind === 'field'));
  const peripherals = new Set(drawn.flatMap((c) => [c.before, c.after, ...(c.parts ?? [])].map((side) => side?.path.split('.')[0])));
  const olds = new PathIndex(oldRoots, peripherals);
  const news = new PathIndex(newRoots, peripherals);
  const changedOld = new Set<string>();
  const changedNew = new Set<string>();
  const registers = new Map<string, { before?: Entity; after?: Entity }>();
  const registerOf = (e: Entity | undefined): Entity | undefined => (e?.kind === 'register' ? e : e?.kind === 'field' ? e.parent : undefined);
  const touch = (oldReg: Entity | undefined, newReg: Entity | undefined): void => {
    const before = oldReg ?? (newReg ? matching.byNew.get(newReg) : undefined);
    const after = newReg ?? (oldReg ? matching.byOld.get(oldReg)?.to : undefined);
    const key = `${before?.path ?? ''}\u0000${after?.path ?? ''}`;
    registers.set(key, { ...(before ? { before } : {}), ...(after ? { after } : {}) });
  };
  for (const change of drawn) {
    const sides = [change.before, ...(change.parts ?? [])];
    for (const side of sides) if (side && olds.has(side.path)) changedOld.add(side.path);
    for (const side of [change.after, ...(change.parts ?? [])]) if (side && news.has(side.path)) changedNew.add(side.path);
    const oldEntity = change.before ? olds.get(change.before.path) : undefined;
    const newEntity = change.after ? news.get(change.after.path) : undefined;
    const oldReg = registerOf(oldEntity);
    const newReg = registerOf(newEntity);
    // A field that moved between registers touches both registers on both sides.
    if (oldReg && newReg && matching.byOld.get(oldReg)?.to !== newReg) {
      touch(oldReg, undefined);
      touch(undefined, newReg);
    } else touch(oldReg, newReg);
  }
  const layout = (register: Entity, changed: ReadonlySet<string>): RegisterLayout => ({
    path: register.path,
    size: register.width,
    fields: register.children.map((f) => ({
      name: f.name,
      lsb: f.position,
      width: f.width,
      access: (f.node as Field).access.sw,
      changed: changed.has(f.path) || changed.has(register.path),
    })),
  });
  return [...registers.values()]
    .map(
      (r): LayoutPair => ({
        ...(r.before ? { before: layout(r.before, changedOld) } : {}),
        ...(r.after ? { after: layout(r.after, changedNew) } : {}),
      }),
    )
    .sort((a, b) => {
      const ka = a.before?.path ?? a.after?.path ?? '';
      const kb = b.before?.path ?? b.after?.path ?? '';
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

/**
 * Peripherals, registers and fields by path. Only the peripherals a change names (the first
 * segment of its paths) are indexed up front: a diff draws a few registers of a device of tens of
 * thousands. A path not found there is looked up in an index of everything, built on first need,
 * so the answer never depends on how paths are segmented.
 */
class PathIndex {
  readonly #some: Map<string, Entity>;
  #all: Map<string, Entity> | undefined;

  constructor(
    private readonly roots: readonly Entity[],
    peripherals: ReadonlySet<string | undefined>,
  ) {
    this.#some = index(roots.filter((p) => peripherals.has(p.path)));
  }

  get(path: string): Entity | undefined {
    return this.#some.get(path) ?? (this.#all ??= index(this.roots)).get(path);
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }
}

function index(roots: readonly Entity[]): Map<string, Entity> {
  const map = new Map<string, Entity>();
  const visit = (e: Entity): void => {
    if (e.kind === 'peripheral' || e.kind === 'register' || e.kind === 'field') map.set(e.path, e);
    if (e.kind !== 'field') e.children.forEach(visit);
  };
  roots.forEach(visit);
  return map;
}
