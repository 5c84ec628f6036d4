import type { Device, Peripheral } from '../ir/types.ts';

/** Levenshtein distance, for names of a few characters (peripheral names and kinds). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `UART0` → `uart`, `TIM12` → `tim`: instance numbers say nothing about the family. */
const stem = (name: string): string => name.toLowerCase().replace(/_?\d+$/, '');

/**
 * How far a peripheral is from a kind, by its name or SVD group: 0 when the stem is the kind
 * (`UART0`), ¼ when it starts with it (`TIMER` for `tim`), ½ when it contains it (`LPUART1`), else
 * the edit distance of the stems (`USART2` is 1 from `uart`).
 */
function distance(kind: string, peripheral: Peripheral): number {
  const wanted = kind.toLowerCase();
  const names = [peripheral.name, ...(peripheral.groupName ? [peripheral.groupName] : [])];
  const one = (name: string): number => {
    const s = stem(name);
    if (s === wanted) return 0;
    if (s.startsWith(wanted)) return 0.25;
    if (s.includes(wanted)) return 0.5;
    return editDistance(wanted, s);
  };
  return Math.min(...names.map(one));
}

export interface Candidates {
  readonly peripherals: readonly Peripheral[];
  /** The overlay line that would make them bind, e.g. `UART*: { kind: uart }`. */
  readonly overlayLine?: string;
}

/**
 * The peripherals a contract of `kind` most likely meant, when none declares that kind: by name
 * and SVD groupName, nearest first (at most five). `UART0`, `UART1` and `USART2` for `uart`.
 */
export function likelyCandidates(kind: string, device: Device): Candidates {
  const limit = Math.max(1, Math.floor(kind.length / 3));
  const scored = device.peripherals
    .map((p) => ({ p, d: distance(kind, p) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0))
    .slice(0, 5);
  const peripherals = scored.map((s) => s.p);
  const first = peripherals[0];
  if (!first) return { peripherals };
  // Instances of one family (UART0, UART1) get one glob line; otherwise the nearest by name.
  const family = peripherals.filter((p) => stem(p.name) === stem(first.name));
  const pattern = family.length > 1 ? `${first.name.replace(/\d+$/, '')}*` : first.name;
  return { peripherals, overlayLine: `${pattern.includes('*') ? JSON.stringify(pattern) : pattern}: { kind: ${kind} }` };
}
