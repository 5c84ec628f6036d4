import { crc32 } from './crc32.ts';
import { copyBytes, CRC_SIZE, encodeFrame, Flag, getUint, HEADER_SIZE, MIN_FRAME_SIZE, Op, PROTOCOL_VERSION, Status } from './frame.ts';

/**
 * The device side's memory of its last `size` responses, for retransmitted requests (docs/protocol.md
 * §4): a request whose seq and bytes match a remembered one is answered with the remembered response
 * and not executed again, so a retried WRITE never applies twice.
 *
 * A ring, not a Map: a Map that drops its oldest entry on every insert keeps the deleted entries as
 * holes that `keys().next()` walks over, which made caching cost more than executing the request.
 * Small frames (nearly all) are copied into two flat arrays, so a cached response allocates nothing.
 * A plain READ is remembered by its fields alone (`rememberRead`: four numbers, no bytes): its
 * request is its answer's header with flags 0, and its answer is rebuilt from them on the rare
 * retransmission, byte for byte what was sent.
 */
const SLOT = 32;
/** `requestLength` of a slot that holds a plain READ's fields, not bytes. */
const READ_FIELDS = -1;

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
  /** A plain READ's fields by slot: its address, its value, and device | width << 8 | count << 16 | status << 24. */
  private readAddress = new Int32Array(0);
  private readValue = new Int32Array(0);
  private readMeta = new Int32Array(0);
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
    if (this.requestLength[slot] === READ_FIELDS) return this.readAnswer(slot, seq);
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
    if (requestLength === READ_FIELDS) return this.isReadOf(slot, request, start, end);
    return equalRange(this.requests, at, at + requestLength, request, start, end);
  }

  /**
   * Remembers the answer to a plain READ (no payload, flags 0) by its fields: the request's device,
   * width, count and address, the answer's status and value (`width` bytes of it when the status is
   * OK, none otherwise). Nothing is copied: `has` compares a request with the fields (and checks its
   * CRC), `lookup` rebuilds the answer.
   */
  rememberRead(seq: number, device: number, width: number, count: number, address: number, status: number, value: number): void {
    const slot = this.take(seq);
    this.requestLength[slot] = READ_FIELDS;
    this.readAddress[slot] = address;
    this.readValue[slot] = value;
    this.readMeta[slot] = (device & 0xff) | ((width & 0xff) << 8) | ((count & 0xff) << 16) | ((status & 0xff) << 24);
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

  /** Whether `request[start, end)` is the plain READ remembered in `slot`: the same header (flags 0), no payload, a CRC that matches. */
  private isReadOf(slot: number, request: Uint8Array, start: number, end: number): boolean {
    if (end - start !== MIN_FRAME_SIZE || request[start] !== PROTOCOL_VERSION || request[start + 1] !== 0 || request[start + 5] !== Op.READ) return false;
    const meta = this.readMeta[slot]!;
    const seq = this.seqOfSlot[slot]!;
    if (request[start + 2] !== (seq & 0xff) || request[start + 3] !== seq >>> 8) return false;
    if (request[start + 4] !== (meta & 0xff) || request[start + 6] !== ((meta >>> 8) & 0xff) || request[start + 7] !== ((meta >>> 16) & 0xff) || request[start + 8] !== 0) return false;
    if (getUint(request, start + 9, 4) !== this.readAddress[slot]! >>> 0) return false;
    return crc32(request, start, start + HEADER_SIZE) === getUint(request, start + HEADER_SIZE, CRC_SIZE);
  }

  /** The answer remembered in a READ slot, encoded again: the bytes the fast path sent. */
  private readAnswer(slot: number, seq: number): Uint8Array {
    const meta = this.readMeta[slot]!;
    const width = (meta >>> 8) & 0xff;
    const status = meta >>> 24;
    const payload = new Uint8Array(status === Status.OK ? 1 + width : 1);
    payload[0] = status;
    let value = this.readValue[slot]! >>> 0;
    for (let i = 1; i < payload.length; i++, value >>>= 8) payload[i] = value & 0xff;
    return encodeFrame({
      seq,
      flags: Flag.RESPONSE | (status !== Status.OK ? Flag.ERROR : 0),
      device: meta & 0xff,
      op: Op.READ,
      width,
      count: (meta >>> 16) & 0xff,
      address: this.readAddress[slot]!,
      payload,
    });
  }

  private grow(capacity: number): void {
    const seqOfSlot = new Int32Array(capacity).fill(-1);
    seqOfSlot.set(this.seqOfSlot);
    this.seqOfSlot = seqOfSlot;
    this.requestLength = grown(this.requestLength, new Int32Array(capacity));
    this.responseLength = grown(this.responseLength, new Int32Array(capacity));
    this.requests = grown(this.requests, new Uint8Array(capacity * SLOT));
    this.responses = grown(this.responses, new Uint8Array(capacity * SLOT));
    this.readAddress = grown(this.readAddress, new Int32Array(capacity));
    this.readValue = grown(this.readValue, new Int32Array(capacity));
    this.readMeta = grown(this.readMeta, new Int32Array(capacity));
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
