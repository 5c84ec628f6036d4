/**
 * File names for the modules an SDK is split into (one per layout type, one per peripheral): the
 * symbol itself, so a reader finds `USART1` in `peripherals/USART1.ts`. Two symbols that differ
 * only in case would overwrite each other on a case-insensitive file system (macOS, Windows), so the
 * later one (in the given, deterministic order) gets a numeric suffix.
 */
export function moduleFileNames(symbols: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const symbol of symbols) {
    let name = symbol;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${symbol}_${n}`;
    taken.add(name.toLowerCase());
    names.set(symbol, name);
  }
  return names;
}
