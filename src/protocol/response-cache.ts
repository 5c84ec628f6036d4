import { copyBytes } from './frame.ts';

/**
 * The device side's memory of its last `size` responses, for retransmitted requests (docs/protocol.md
 * §4): a request whose seq and bytes match a remembered one is answered with the remembered response
 * and not executed again, so a retried WRITE never applies twice.
 *
 * A ring, not a Map: a Map that drops its oldest entry on every insert keeps the deleted entries as
 * holes that `keys().next()` walks over, which made caching cost more than executing the request.
 * Small frames (nearly all) are copied into two flat arrays, so a cached response allocates nothing.
 */
const SLOT = 32;

export class ResponseCache {
  /** Stores so far; store number `n` lives in slot `n % size`. */
  private stored = 0;
  /** seq → the number of the store that last remembered it (only seqs still in the ring). */
  private readonly storeOfSeq = new Map<number, number>();
  // The ring grows by doubling up to `size` while it has not wrapped yet, so a short-lived link
  // does not pay for the whole ring up front; until it wraps, store `n` sits in slot `n`.
  private seqOfSlot = new Int32Array(0);
  private requestLength = new Int32Array(0);
  private responseLength = new Int32Array(0);
  private requests = new Uint8Array(0);
  private responses = new Uint8Array(0);
  /** Frames longer than a slot (bursts, HELLO): kept as copies. */
  private large: ({ readonly request: Uint8Array; readonly response: Uint8Array } | undefined)[] = [];
  private readonly size: number;

  constructor(size: number) {
    this.size = Math.max(1, size);
    this.grow(Math.min(this.size, 64));
  }

  /** The remembered response to this exact request (`request[start, end)` with this seq), if any. */
  lookup(seq: number, request: Uint8Array, start = 0, end = request.length): Uint8Array | undefined {
    const slot = this.slotOf(seq);
    if (slot < 0) return undefined;
    const big = this.large[slot];
    if (big) return equalRange(big.request, 0, big.request.length, request, start, end) ? big.response : undefined;
    const at = slot * SLOT;
    if (!equalRange(this.requests, at, at + this.requestLength[slot]!, request, start, end)) return undefined;
    return this.responses.slice(at, at + this.responseLength[slot]!);
  }

  /** Remembers `response` as the answer to `request[start, end)`, forgetting the oldest beyond `size`. */
  store(seq: number, request: Uint8Array, start: number, end: number, response: Uint8Array): void {
    if (this.stored === this.seqOfSlot.length && this.stored < this.size) this.grow(Math.min(this.size, this.stored * 2));
    const n = this.seqOfSlot.length;
    const slot = this.stored % n;
    const evicted = this.seqOfSlot[slot]!;
    if (evicted >= 0 && this.storeOfSeq.get(evicted) === this.stored - n) this.storeOfSeq.delete(evicted);
    this.storeOfSeq.set(seq & 0xffff, this.stored);
    this.seqOfSlot[slot] = seq & 0xffff;
    this.stored++;
    if (end - start > SLOT || response.length > SLOT) {
      this.large[slot] = { request: copyBytes(request, start, end), response: copyBytes(response, 0, response.length) };
      return;
    }
    this.large[slot] = undefined;
    const at = slot * SLOT;
    for (let i = start; i < end; i++) this.requests[at + i - start] = request[i]!;
    this.requestLength[slot] = end - start;
    for (let i = 0; i < response.length; i++) this.responses[at + i] = response[i]!;
    this.responseLength[slot] = response.length;
  }

  clear(): void {
    this.storeOfSeq.clear();
    this.seqOfSlot.fill(-1);
    this.large.fill(undefined);
  }

  private grow(capacity: number): void {
    const seqOfSlot = new Int32Array(capacity).fill(-1);
    seqOfSlot.set(this.seqOfSlot);
    this.seqOfSlot = seqOfSlot;
    this.requestLength = grown(this.requestLength, new Int32Array(capacity));
    this.responseLength = grown(this.responseLength, new Int32Array(capacity));
    this.requests = grown(this.requests, new Uint8Array(capacity * SLOT));
    this.responses = grown(this.responses, new Uint8Array(capacity * SLOT));
    this.large.length = capacity;
  }

  private slotOf(seq: number): number {
    const store = this.storeOfSeq.get(seq & 0xffff);
    if (store === undefined || store < this.stored - this.seqOfSlot.length) return -1;
    return store % this.seqOfSlot.length;
  }
}

function grown<T extends Int32Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

function equalRange(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
