import { crc32 } from './crc32.ts';
import { copyBytes, CRC_SIZE, getUint, HEADER_SIZE, MIN_FRAME_SIZE } from './frame.ts';

/**
 * The device side's memory of its last `size` responses, for retransmitted requests (docs/protocol.md
 * §4): a request whose seq and bytes match a remembered one is answered with the remembered response
 * and not executed again, so a retried WRITE never applies twice.
 *
 * A ring, not a Map: a Map that drops its oldest entry on every insert keeps the deleted entries as
 * holes that `keys().next()` walks over, which made caching cost more than executing the request.
 * Small frames (nearly all) are copied into two flat arrays, so a cached response allocates nothing.
 * The answer to a plain READ is built in its slot by the caller (`reserveReadAnswer`) and its
 * request is not kept at all: it is the answer's header with flags 0 and no payload.
 */
const SLOT = 32;
/** `requestLength` of a slot whose request is the answer's own header (a plain READ). */
const READ_OF_ANSWER = -1;

export class ResponseCache {
  /** The slot the next store goes to (the oldest once the ring is full). */
  private next = 0;
  /**
   * seq → 1 + the slot holding its latest response, 0 when none. An entry is removed when its slot
   * is reused, so every entry points at a live response (no Map: 256 KiB per link, no hashing).
   */
  private readonly slotOfSeq = new Int32Array(0x10000);
  // The ring grows by doubling up to `size` before it first wraps, so a short-lived link does not
  // pay for the whole ring up front (slots keep their place when it grows).
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
    if (!this.has(seq, request, start, end)) return undefined;
    const slot = this.slotOf(seq);
    const big = this.large[slot];
    if (big) return big.response;
    const at = slot * SLOT;
    return this.responses.slice(at, at + this.responseLength[slot]!);
  }

  /** Whether a response to this exact request (`request[start, end)` with this seq) is remembered. */
  has(seq: number, request: Uint8Array, start: number, end: number): boolean {
    const slot = this.slotOf(seq);
    if (slot < 0) return false;
    const big = this.large[slot];
    if (big) return equalRange(big.request, 0, big.request.length, request, start, end);
    const at = slot * SLOT;
    const requestLength = this.requestLength[slot]!;
    if (requestLength === READ_OF_ANSWER) return this.isReadOf(at, request, start, end);
    return equalRange(this.requests, at, at + requestLength, request, start, end);
  }

  /**
   * Room for the answer to a plain READ (`request[start, start + MIN_FRAME_SIZE)`: no payload, flags 0)
   * of `length` ≤ 32 bytes, remembered from now on: the caller builds it in `answers` from the
   * returned index (header, status, value, CRC), then sends it from there. Nothing is copied: the
   * request is the answer's header with flags 0 (`has` recomputes its CRC to compare).
   */
  reserveReadAnswer(seq: number, length: number): number {
    if (length > SLOT) throw new RangeError(`a READ answer of ${length} bytes does not fit a cache slot`);
    const slot = this.take(seq);
    this.requestLength[slot] = READ_OF_ANSWER;
    this.responseLength[slot] = length;
    return slot * SLOT;
  }

  /** Where `reserveReadAnswer` answers are built (valid until the next call that grows the ring). */
  get answers(): Uint8Array {
    return this.responses;
  }

  /**
   * Remembers `response[0, responseEnd)` as the answer to `request[start, end)`, forgetting the
   * oldest beyond `size`. Both are copied: the caller may reuse its buffers.
   */
  store(seq: number, request: Uint8Array, start: number, end: number, response: Uint8Array, responseEnd = response.length): void {
    const slot = this.take(seq);
    if (end - start > SLOT || responseEnd > SLOT) {
      this.large[slot] = { request: copyBytes(request, start, end), response: copyBytes(response, 0, responseEnd) };
      return;
    }
    const at = slot * SLOT;
    for (let i = start; i < end; i++) this.requests[at + i - start] = request[i]!;
    this.requestLength[slot] = end - start;
    for (let i = 0; i < responseEnd; i++) this.responses[at + i] = response[i]!;
    this.responseLength[slot] = responseEnd;
  }

  clear(): void {
    this.slotOfSeq.fill(0);
    this.seqOfSlot.fill(-1);
    this.large.fill(undefined);
  }

  /** The next slot of the ring for `seq`, its previous seq forgotten (growing the ring until it first wraps). */
  private take(seq: number): number {
    if (this.next === this.seqOfSlot.length) {
      if (this.next < this.size) this.grow(Math.min(this.size, this.next * 2));
      else this.next = 0;
    }
    const slot = this.next++;
    const evicted = this.seqOfSlot[slot]!;
    if (evicted >= 0 && this.slotOfSeq[evicted] === slot + 1) this.slotOfSeq[evicted] = 0;
    this.slotOfSeq[seq & 0xffff] = slot + 1;
    this.seqOfSlot[slot] = seq & 0xffff;
    if (this.large[slot] !== undefined) this.large[slot] = undefined;
    return slot;
  }

  /** Whether `request[start, end)` is the READ the answer at `at` answers: its header with flags 0, no payload, and a CRC that matches. */
  private isReadOf(at: number, request: Uint8Array, start: number, end: number): boolean {
    if (end - start !== MIN_FRAME_SIZE || request[start + 1] !== 0) return false;
    const answer = this.responses;
    if (request[start] !== answer[at]) return false;
    for (let i = 2; i < HEADER_SIZE; i++) if (request[start + i] !== answer[at + i]) return false;
    return crc32(request, start, start + HEADER_SIZE) === getUint(request, start + HEADER_SIZE, CRC_SIZE);
  }

  private grow(capacity: number): void {
    const seqOfSlot = new Int32Array(capacity).fill(-1);
    seqOfSlot.set(this.seqOfSlot);
    this.seqOfSlot = seqOfSlot;
    this.requestLength = grown(this.requestLength, new Int32Array(capacity));
    this.responseLength = grown(this.responseLength, new Int32Array(capacity));
    this.requests = grown(this.requests, new Uint8Array(capacity * SLOT));
    this.responses = grown(this.responses, new Uint8Array(capacity * SLOT));
    // Grown by pushing, not by setting `length`: a long array of holes is kept as a dictionary,
    // which made every store into it a hash-table write.
    while (this.large.length < capacity) this.large.push(undefined);
  }

  private slotOf(seq: number): number {
    return this.slotOfSeq[seq & 0xffff]! - 1;
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
