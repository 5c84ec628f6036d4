/**
 * Items grouped by a key, in the order each key first appears and, within a group, in the items'
 * order; an item whose key is `undefined` is left out. The index every "scan once, then look up"
 * pass of the diff builds (nodes by address, fields by name, registers by field set).
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
