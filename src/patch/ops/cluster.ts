import type { XmlElement } from '../../importers/xml/index.ts';
import { indexToken, matchName, matchSubspec, parseSpec } from '../glob.ts';
import { asMap, getInteger, getString, PatchError, type PatchEntry, type PatchMap } from '../node.ts';
import { appendChild, getInt, isArray, makeElement, nameOf, registerBitmask, setInt, setText, childElement } from '../svd-tree.ts';
import { blockPathText, type BlockPath } from './path.ts';

/** The operation keys of a peripheral or cluster patch (all but `_interrupts`, peripherals only). */
export const BLOCK_OPERATIONS: readonly string[] = [
  '_include',
  '_path',
  '_delete',
  '_copy',
  '_strip',
  '_strip_end',
  '_prefix',
  '_suffix',
  '_modify',
  '_clear_fields',
  '_add',
  '_derive',
  '_expand_array',
  '_expand_cluster',
  '_array',
  '_cluster',
  '_clusters',
];

/**
 * `_cluster: NAME: {REG_SPEC: {...}, ...}` gathers registers into a cluster. With `%s` in NAME the
 * cluster is an array: each spec must match the same number of registers with the same indexes
 * and stride, and each becomes one register of the cluster (its name the spec without the index).
 * Without `%s` each spec matches one register, kept as it is. Offsets become cluster-relative.
 * Returns the new cluster and the register patches to apply inside it (the caller runs them).
 */
export const CLUSTER_SKIP = new Set(['description', 'dimIncrement', ...BLOCK_OPERATIONS]);

export interface CollectedCluster {
  readonly cluster: XmlElement;
  readonly members: readonly { register: XmlElement; patch: PatchMap; rename: (r: XmlElement) => void }[];
}

export function collectCluster(items: XmlElement[], entry: PatchEntry, path: BlockPath): CollectedCluster {
  const cname = entry.key;
  const spec = asMap(entry.value, cname);
  const single = !cname.includes('%s');
  let stride = getInteger(spec, 'dimIncrement') ?? 0;
  let dim = 0;
  let indexes: string[] = [];
  let offsets: number[] = [];
  let firstSpec: string | undefined;
  let place = Number.MAX_SAFE_INTEGER;
  const groups: { rspec: string; patch: PatchMap; registers: XmlElement[] }[] = [];
  for (const e of spec.entries) {
    if (CLUSTER_SKIP.has(e.key)) continue;
    const { spec: rspec, optional } = parseSpec(e.key);
    const registers: XmlElement[] = [];
    for (let i = 0; i < items.length; ) {
      const r = items[i] as XmlElement;
      if (r.local === 'register' && matchName(nameOf(r), rspec)) {
        registers.push(r);
        items.splice(i, 1);
        place = Math.min(place, i);
      } else i++;
    }
    if (registers.length === 0) {
      if (optional) continue;
      throw new PatchError(
        'patch/no-match',
        `_cluster ${cname}: no register of ${blockPathText(path)} matches ${rspec}; present registers: ${items
          .filter((r) => r.local === 'register')
          .map(nameOf)
          .join(', ')}`,
        e.keySpan,
      );
    }
    if (single) {
      if (registers.length > 1)
        throw new PatchError(
          'patch/ambiguous',
          `_cluster ${cname}: ${rspec} matches ${registers.length} registers; a single cluster takes one each`,
          e.keySpan,
        );
    } else {
      registers.sort((a, b) => (getInt(a, 'addressOffset') ?? 0) - (getInt(b, 'addressOffset') ?? 0));
      const arrays = registers.map(isArray);
      if (arrays.some((a) => a !== arrays[0]))
        throw new PatchError('patch/bad-cluster', `_cluster ${cname}: some ${rspec} registers are arrays and some are not`, e.keySpan);
      const masks = registers.map(registerBitmask);
      const newIndexes = registers.map((r) => {
        const sub = matchSubspec(nameOf(r), rspec) as string;
        const token = indexToken(sub);
        if (!token) throw new PatchError('patch/bad-cluster', `_cluster ${cname}: ${sub} must have exactly one varying part to take the index from`, e.keySpan);
        const n = nameOf(r);
        return n.slice(token[0], n.length - token[1]);
      });
      if (firstSpec !== undefined) {
        if (dim !== registers.length)
          throw new PatchError(
            'patch/bad-cluster',
            `_cluster ${cname}: ${rspec} matches ${registers.length} registers but ${firstSpec} matched ${dim}`,
            e.keySpan,
          );
        if (indexes.join(',') !== newIndexes.join(','))
          throw new PatchError('patch/bad-cluster', `_cluster ${cname}: ${rspec} and ${firstSpec} have different indexes`, e.keySpan);
      } else {
        dim = registers.length;
        indexes = newIndexes;
        offsets = registers.map((r) => getInt(r, 'addressOffset') ?? 0);
        if (dim > 1) stride = (offsets[1] as number) - (offsets[0] as number);
        firstSpec = rspec;
      }
      for (let i = 1; i < offsets.length; i++) {
        if ((offsets[i] as number) - (offsets[i - 1] as number) !== stride)
          throw new PatchError('patch/bad-cluster', `_cluster ${cname}: ${rspec} registers are not evenly spaced`, e.keySpan);
      }
      if (!masks.every((m) => m === masks[0]))
        throw new PatchError('patch/bad-cluster', `_cluster ${cname}: ${rspec} registers have different fields`, e.keySpan);
    }
    groups.push({ rspec, patch: asMap(e.value, e.key), registers });
  }
  if (groups.length === 0) throw new PatchError('patch/no-match', `_cluster ${cname}: no register matches`, entry.keySpan);
  const base = Math.min(...groups.map((g) => getInt(g.registers[0] as XmlElement, 'addressOffset') ?? 0));
  const anchor = (groups[0]!.registers[0] as XmlElement).start;
  const cluster = makeElement('cluster', anchor, '', [makeElement('name', anchor, cname)]);
  setText(cluster, 'description', getString(spec, 'description') ?? `Cluster ${cname}, containing ${groups.map((g) => g.rspec).join(', ')}`);
  setInt(cluster, 'addressOffset', base);
  const members: CollectedCluster['members'][number][] = [];
  for (const g of groups) {
    const register = g.registers[0] as XmlElement;
    const rename = (r: XmlElement): void => {
      const given = getString(g.patch, 'name');
      if (single) {
        if (given !== undefined) setText(r, 'name', given);
      } else {
        const token = indexToken(g.rspec);
        if (!token) throw new PatchError('patch/bad-cluster', `_cluster ${cname}: ${g.rspec} must have exactly one varying part`, entry.keySpan);
        setText(r, 'name', given ?? `${g.rspec.slice(0, token[0])}${g.rspec.slice(g.rspec.length - token[1])}`);
        const description = getString(g.patch, 'description');
        if (description !== undefined) setText(r, 'description', description);
      }
      const offset = (getInt(r, 'addressOffset') ?? 0) - base;
      setInt(r, 'addressOffset', offset);
      if (!single && offset >= stride)
        throw new PatchError(
          'patch/bad-cluster',
          `_cluster ${cname}: register ${nameOf(r)} at offset ${offset} lies beyond the cluster stride ${stride}`,
          entry.keySpan,
        );
    };
    members.push({ register, patch: g.patch, rename });
    appendChild(cluster, register);
  }
  if (!single) {
    appendChild(cluster, makeElement('dim', anchor, String(dim)));
    appendChild(cluster, makeElement('dimIncrement', anchor, `0x${stride.toString(16).toUpperCase()}`));
    appendChild(cluster, makeElement('dimIndex', anchor, indexes.join(',')));
  }
  items.splice(place, 0, cluster);
  void childElement;
  return { cluster, members };
}
