import { Prng } from './prng.ts';

/** Seeded link and device faults (`--faults drop=0.01,corrupt=0.01,seed=1`). */
export interface FaultOptions {
  readonly seed?: number;
  /** Probabilities per frame, each direction. */
  readonly drop?: number;
  readonly corrupt?: number;
  readonly duplicate?: number;
  readonly delay?: number;
  /** How long a delayed frame is held (ms); delayed frames overtake others, so order changes too. */
  readonly delayMs?: number;
  /** Byte addresses that answer BUS_ERROR. */
  readonly busErrors?: readonly number[];
  /** Bits forced on every read at a byte address. */
  readonly stuck?: readonly { readonly address: number; readonly mask: number; readonly value: number }[];
}

export interface FaultStats {
  dropped: number;
  corrupted: number;
  duplicated: number;
  delayed: number;
}

/** Applies frame faults to one direction of one link. */
export class FaultInjector {
  readonly stats: FaultStats = { dropped: 0, corrupted: 0, duplicated: 0, delayed: 0 };
  private readonly prng: Prng;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: FaultOptions,
    stream: number,
  ) {
    // Each direction gets its own stream of the seed, so adding a fault on one side does not
    // reshuffle the faults of the other.
    this.prng = new Prng(((options.seed ?? 1) * 0x9e3779b1 + stream * 0x85ebca6b) >>> 0);
  }

  get active(): boolean {
    const o = this.options;
    return (o.drop ?? 0) > 0 || (o.corrupt ?? 0) > 0 || (o.duplicate ?? 0) > 0 || (o.delay ?? 0) > 0;
  }

  /** Passes `frame` to `deliver` zero, one or two times, maybe damaged or late. */
  apply(frame: Uint8Array, deliver: (bytes: Uint8Array) => void): void {
    const o = this.options;
    if (this.prng.next() < (o.drop ?? 0)) {
      this.stats.dropped++;
      return;
    }
    let bytes = frame;
    if (this.prng.next() < (o.corrupt ?? 0) && bytes.length > 0) {
      bytes = bytes.slice();
      const at = this.prng.below(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << this.prng.below(8));
      this.stats.corrupted++;
    }
    const copies = this.prng.next() < (o.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      if (this.prng.next() < (o.delay ?? 0)) {
        this.stats.delayed++;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          deliver(bytes);
        }, o.delayMs ?? 5);
        this.timers.add(timer);
      } else deliver(bytes);
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * Parses `drop=0.01,corrupt=0.01,duplicate=0,delay=0.01,delay-ms=5,seed=1,bus-error=0x40001000,
 * stuck=0x40001004:0x01:0x01`. Returns an error message for bad input.
 */
export function parseFaults(text: string): FaultOptions | string {
  const out: { -readonly [K in keyof FaultOptions]: FaultOptions[K] } = {};
  const busErrors: number[] = [];
  const stuck: { address: number; mask: number; value: number }[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, raw] = part.split('=', 2);
    if (raw === undefined) return `fault ${JSON.stringify(part)} needs a value (key=value)`;
    const number = (s: string): number => (/^0x/i.test(s) ? parseInt(s.slice(2), 16) : Number(s));
    const probability = (): number | string => {
      const p = Number(raw);
      return Number.isFinite(p) && p >= 0 && p <= 1 ? p : `${key} must be a probability between 0 and 1 (got ${raw})`;
    };
    switch (key) {
      case 'drop':
      case 'corrupt':
      case 'duplicate':
      case 'delay': {
        const p = probability();
        if (typeof p === 'string') return p;
        out[key] = p;
        break;
      }
      case 'delay-ms':
      case 'seed': {
        const n = number(raw);
        if (!Number.isSafeInteger(n) || n < 0) return `${key} must be a non-negative integer (got ${raw})`;
        if (key === 'seed') out.seed = n;
        else out.delayMs = n;
        break;
      }
      case 'bus-error': {
        const n = number(raw);
        if (!Number.isSafeInteger(n) || n < 0) return `bus-error needs an address (got ${raw})`;
        busErrors.push(n);
        break;
      }
      case 'stuck': {
        const [a, m, v] = raw.split(':').map(number);
        if (a === undefined || m === undefined || v === undefined || [a, m, v].some((x) => !Number.isSafeInteger(x) || x < 0))
          return `stuck needs ADDRESS:MASK:VALUE (got ${raw})`;
        stuck.push({ address: a, mask: m, value: v });
        break;
      }
      default:
        return `unknown fault ${JSON.stringify(key)}; known: drop, corrupt, duplicate, delay, delay-ms, seed, bus-error, stuck`;
    }
  }
  if (busErrors.length > 0) out.busErrors = busErrors;
  if (stuck.length > 0) out.stuck = stuck;
  return out;
}
