import { FrameBatch } from '../src/protocol/frame-batch.ts';
import { crc32 } from '../src/protocol/crc32.ts';
import {
  copyBytes,
  CRC_SIZE,
  decodeFrame,
  encodeEventPayload,
  encodeFrame,
  Flag,
  frameIntact,
  getUint,
  HEADER_SIZE,
  MAX_PAYLOAD,
  MIN_FRAME_SIZE,
  Op,
  PROTOCOL_VERSION,
  putUint,
  Status,
  type Frame,
} from '../src/protocol/frame.ts';
import { ResponseCache } from '../src/protocol/response-cache.ts';
import { SlipDecoder, slipEncode } from '../src/protocol/slip.ts';
import type { ByteTransport } from '../src/protocol/transport.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import type { SimEvent } from './simulator.ts';

export const DEFAULT_MAX_BACKLOG_BYTES = 1024 * 1024;

export interface LinkStats {
  frames: number;
  crcErrors: number;
  duplicates: number;
  reordered: number;
  stale: number;
  /** Set when the link was dropped for not reading its responses. */
  droppedForBacklog?: boolean;
}

/** What a link asks of the server it serves: slicing and running requests, and leaving. */
export interface LinkHost {
  slices(frame: Frame): Generator<Frame, Uint8Array, Uint8Array> | undefined;
  execute(frame: Frame, origin: { client: number; seq: number }): Uint8Array;
  /** A well-formed single READ: the value (≥ 0), or −status. */
  readValue(device: number, address: number, width: number, client: number, seq: number): number;
  /** A well-formed single WRITE: the status. */
  writeStatus(device: number, address: number, width: number, value: number, client: number, seq: number): number;
  detach(link: Link): void;
}

/** How far ahead of the expected seq a request may arrive and still be held for in-order execution. */
const REORDER_WINDOW = 1024;

/**
 * Answers written while a chunk of requests is still being executed: every this many frames, and
 * the rest at the end of the chunk. When host and simulator run on two cores, the host works on
 * the first answers while the simulator executes the rest (one write per chunk made them take
 * turns: docs/performance.md, "Link: answers in slices"); 32 is a `readMany` batch of the link bench.
 */
const ANSWERS_PER_WRITE = 32;
/** A chunk shorter than this cannot hold ANSWERS_PER_WRITE requests (a frame and its END). */
const SLICED_CHUNK_BYTES = ANSWERS_PER_WRITE * (MIN_FRAME_SIZE + 1);
/**
 * Chunks answered with one write after a slice was seen to hand this process's core to the host
 * (see `receive`), before slices are tried again.
 */
const CHUNKS_BEFORE_RETRY = 64;

/**
 * One client on one link. Requests run exactly once and in seq order: a retransmitted request is
 * answered from the cache (a retried WRITE never applies twice); a request that overtook a lost
 * one waits until the gap is filled, so pipelining plus retries never reorders register accesses.
 */
export class Link {
  readonly stats: LinkStats = { frames: 0, crcErrors: 0, duplicates: 0, reordered: 0, stale: 0 };
  private readonly decoder = new SlipDecoder(MAX_PAYLOAD * 2 + 64);
  private readonly inbound: FaultInjector;
  private readonly outbound: FaultInjector;
  private nonce: number | undefined;
  private expected: number | undefined;
  /** The expected seq a gap NAK was last sent for (one per gap). */
  private nakSent: number | undefined;
  private readonly held = new Map<number, { frame: Frame; body: Uint8Array }>();
  private readonly cache: ResponseCache;
  private readonly eventSeq: number[] = [];
  /** The fast path's answer to a WRITE (or a READ when outbound faults are injected), rebuilt for every one. */
  private readonly reply = new Uint8Array(HEADER_SIZE + 1 + 4 + CRC_SIZE);
  /** Responses encoded for the next write. */
  private readonly out = new FrameBatch();
  private readonly write = (bytes: Uint8Array): void => this.transport.write(bytes);
  private readonly released = (): boolean => this.transport.released?.() === true;
  private flushQueued = false;
  /** Frames of the chunk being read since the last write (see ANSWERS_PER_WRITE). */
  private answeredSinceWrite = 0;
  /** Whether long chunks are answered in slices (`scanInSlices`), and for how many more chunks not. */
  private slicing = true;
  private chunksUntilRetry = 0;
  private slicesWritten = 0;
  private closed = false;
  /** A sliced TICK/WAIT is running: frames arriving meanwhile wait here, in order (bounded). */
  private busy = false;
  private readonly waiting: Uint8Array[] = [];

  constructor(
    private readonly server: LinkHost,
    readonly transport: ByteTransport,
    readonly id: number,
    cacheSize: number,
    faults: FaultOptions,
    private readonly maxBacklog: number = DEFAULT_MAX_BACKLOG_BYTES,
  ) {
    this.cache = new ResponseCache(cacheSize);
    this.inbound = new FaultInjector(faults, id * 2);
    this.outbound = new FaultInjector(faults, id * 2 + 1);
    transport.onData((bytes) => this.receive(bytes));
    transport.onClose(() => this.close());
  }

  get faultStats(): { inbound: FaultInjector['stats']; outbound: FaultInjector['stats'] } {
    return { inbound: this.inbound.stats, outbound: this.outbound.stats };
  }

  /**
   * Every frame of the chunk is decoded in place; a plain in-order READ or WRITE is answered by
   * `quick`, anything else gets its own copy and takes the general path. One write per
   * ANSWERS_PER_WRITE frames and one at the end of the chunk.
   */
  private receive(bytes: Uint8Array): void {
    if (this.inbound.active) {
      this.decoder.push(bytes, (event) => {
        if (event.kind !== 'frame') this.stats.crcErrors++;
        else this.inbound.apply(event.body, (body) => this.handleBody(body));
      });
    } else if (bytes.length < SLICED_CHUNK_BYTES) this.decoder.scan(bytes, this.inPlace, this.discarded);
    else this.scanInSlices(bytes);
    this.flush();
  }

  /**
   * A chunk long enough to be answered in slices. Slices pay only when the host runs on another
   * core: when it shares this one, each slice's write hands the core over to it (the kernel runs a
   * woken reader on its waker's core), which shows as an involuntary context switch of this process
   * while the chunk was being answered; then the next CHUNKS_BEFORE_RETRY chunks are answered with
   * one write each, as if nothing was sliced, before slices are tried again.
   */
  private scanInSlices(bytes: Uint8Array): void {
    if (!this.slicing && --this.chunksUntilRetry <= 0) this.slicing = true;
    if (!this.slicing) {
      this.decoder.scan(bytes, this.inPlace, this.discarded);
      return;
    }
    const preempted = process.resourceUsage().involuntaryContextSwitches;
    this.slicesWritten = 0;
    this.decoder.scan(bytes, this.inPlace, this.discarded);
    if (this.slicesWritten > 0 && process.resourceUsage().involuntaryContextSwitches > preempted) {
      this.slicing = false;
      this.chunksUntilRetry = CHUNKS_BEFORE_RETRY;
    }
  }

  private readonly discarded = (): void => {
    this.stats.crcErrors++;
  };

  private readonly inPlace = (bytes: Uint8Array, start: number, end: number): void => {
    if (!this.quick(bytes, start, end)) this.handleBody(copyBytes(bytes, start, end));
    if (++this.answeredSinceWrite >= ANSWERS_PER_WRITE && this.slicing) {
      this.slicesWritten++;
      this.flush();
    }
  };

  /**
   * The fast path of a pipelined link: a well-formed single READ or WRITE that is the next request
   * in order (nothing held, nothing running sliced, not a retransmission) is executed straight from
   * the received bytes, and its answer — byte for byte the one `respond` would encode — is queued
   * with no frame object, payload copy or answer array per request: a READ's is encoded from its
   * fields straight into the write and remembered by its fields in the cache, a WRITE's is built in
   * one reused array and copied into both. False: the general path (`handleBody`) takes the frame, which gives every other case
   * (errors, retransmissions, gaps, HELLO, bursts) its full treatment.
   */
  private quick(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.closed || this.busy || this.held.size !== 0) return false;
    const op = bytes[start + 5]!;
    const width = bytes[start + 6]!;
    const payloadLength = end - start - MIN_FRAME_SIZE;
    if (bytes[start] !== PROTOCOL_VERSION || bytes[start + 1] !== 0 || bytes[start + 8] !== 0 || bytes[start + 7]! > 1) return false;
    if (width !== 1 && width !== 2 && width !== 4) return false;
    if (op === Op.READ ? payloadLength !== 0 : op !== Op.WRITE || payloadLength !== width) return false;
    const seq = bytes[start + 2]! | (bytes[start + 3]! << 8);
    if (seq !== this.expected || !frameIntact(bytes, start, end) || this.cache.has(seq, bytes, start, end)) return false;
    this.stats.frames++;
    const device = bytes[start + 4]!;
    const address = getUint(bytes, start + 9, 4);
    let status: number;
    let value = 0;
    if (op === Op.READ) {
      const read = this.server.readValue(device, address, width, this.id, seq);
      status = read >= 0 ? Status.OK : -read;
      value = read;
    } else status = this.server.writeStatus(device, address, width, getUint(bytes, start + HEADER_SIZE, width), this.id, seq);
    const valueLength = op === Op.READ && status === Status.OK ? width : 0;
    const length = HEADER_SIZE + 1 + valueLength + CRC_SIZE;
    if (op === Op.READ && !this.outbound.active) {
      // A READ is remembered by its fields and its answer encoded once, straight into the write.
      const count = bytes[start + 7]!;
      this.cache.rememberRead(seq, device, width, count, address, status, value);
      this.out.addAnswer(seq, Flag.RESPONSE | (status !== Status.OK ? Flag.ERROR : 0), device, op, width, count, address, status, value, valueLength);
    } else {
      this.answer(bytes, start, status, value, valueLength, this.reply, 0);
      this.cache.store(seq, bytes, start, end, this.reply, length);
      this.send(this.reply, 0, length);
    }
    this.expected = (seq + 1) & 0xffff;
    return true;
  }

  /**
   * The fast path's answer to the request whose header is at `bytes[start]`, written at `out[at]`:
   * byte for byte what `respond` encodes (the request's header, flags RESPONSE (| ERROR), the
   * status, `valueLength` bytes of `value`, the CRC).
   */
  private answer(bytes: Uint8Array, start: number, status: number, value: number, valueLength: number, out: Uint8Array, at: number): void {
    for (let i = 0; i < HEADER_SIZE; i++) out[at + i] = bytes[start + i]!;
    out[at + 1] = Flag.RESPONSE | (status !== Status.OK ? Flag.ERROR : 0);
    out[at + HEADER_SIZE] = status;
    let end = at + HEADER_SIZE + 1;
    if (valueLength > 0) {
      putUint(out, end, value, valueLength);
      end += valueLength;
    }
    putUint(out, end, crc32(out, at, end), CRC_SIZE);
  }

  private handleBody(body: Uint8Array): void {
    if (this.closed) return;
    if (this.busy) {
      // Past the bound the host is flooding; what is dropped it resends.
      if (this.waiting.length < REORDER_WINDOW) this.waiting.push(body.slice());
      return;
    }
    this.stats.frames++;
    const decoded = decodeFrame(body);
    if (!decoded.ok) {
      if (decoded.reason === 'crc' && decoded.header) {
        // Answer so the host resends at once; the header is untrusted, the host checks seq/op/device.
        this.stats.crcErrors++;
        const h = decoded.header;
        this.send(
          encodeFrame({ seq: h.seq, device: h.device, op: h.op, width: h.width, flags: Flag.RESPONSE | Flag.ERROR, payload: Uint8Array.of(Status.CRC) }),
        );
      }
      this.scheduleFlush();
      return;
    }
    const frame = decoded.frame;
    if (frame.flags & Flag.RESPONSE) return; // a device → host frame echoed back: not ours to answer
    const cached = this.cache.lookup(frame.seq, body);
    if (cached) {
      this.stats.duplicates++;
      this.send(cached);
      this.scheduleFlush();
      return;
    }
    if (frame.op === Op.HELLO) {
      const nonce = frame.payload.length >= 4 ? getUint(frame.payload, 0, 4) : 0;
      if (nonce !== this.nonce) {
        // A new host session on this link (a reopened pty): forget the old one's cache.
        this.cache.clear();
        this.nonce = nonce;
      }
      // Requests held behind a gap belong to requests the host has already given up on.
      this.held.clear();
      this.expected = (frame.seq + 1) & 0xffff;
      this.execute(frame, body);
      this.scheduleFlush();
      return;
    }
    if (this.expected === undefined) this.expected = frame.seq;
    const distance = (frame.seq - this.expected) & 0xffff;
    if (distance === 0) {
      this.execute(frame, body);
      this.expected = (this.expected + 1) & 0xffff;
      this.drainHeld();
    } else if (distance < REORDER_WINDOW) {
      this.stats.reordered++;
      if (!this.held.has(frame.seq)) this.held.set(frame.seq, { frame, body });
      if (this.nakSent !== this.expected) {
        // A gap: the expected request was lost (or is late). Ask for it now (status CRC for its
        // seq, op unknown) instead of stalling the pipeline until the host's time-out.
        this.nakSent = this.expected;
        this.send(encodeFrame({ seq: this.expected, device: frame.device, op: 0, flags: Flag.RESPONSE | Flag.ERROR, payload: Uint8Array.of(Status.CRC) }));
      }
    } else if (distance >= 0x8000) {
      this.stats.stale++; // older than anything cached: a very late duplicate
    } else {
      // Far ahead: a host that restarted its numbering without HELLO. Follow it.
      this.held.clear();
      this.execute(frame, body);
      this.expected = (frame.seq + 1) & 0xffff;
    }
    this.scheduleFlush();
  }

  /** Runs the requests held behind a gap that has now closed, in order, until one runs sliced. */
  private drainHeld(): void {
    for (let next = this.held.get(this.expected!); next && !this.busy; next = this.held.get(this.expected!)) {
      this.held.delete(this.expected!);
      this.execute(next.frame, next.body);
      this.expected = (this.expected! + 1) & 0xffff;
    }
  }

  private execute(frame: Frame, body: Uint8Array): void {
    const sliced = this.server.slices(frame);
    if (sliced) {
      this.busy = true;
      void this.runSliced(frame, body, sliced);
      return;
    }
    this.respond(frame, body, this.server.execute(frame, { client: this.id, seq: frame.seq }));
  }

  /** A long TICK/WAIT, one slice per event-loop turn; then the frames that waited for it. */
  private async runSliced(frame: Frame, body: Uint8Array, slices: Generator<Frame, Uint8Array, Uint8Array>): Promise<void> {
    let step = slices.next(Uint8Array.of(Status.OK));
    while (!step.done) {
      const result = this.server.execute(step.value, { client: this.id, seq: frame.seq });
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed) return;
      step = slices.next(result);
    }
    this.respond(frame, body, step.value);
    this.busy = false;
    this.scheduleFlush();
    this.drainHeld();
    const pending = this.waiting.splice(0);
    for (let i = 0; i < pending.length; i++) {
      if (this.busy) {
        this.waiting.unshift(...pending.slice(i));
        break;
      }
      this.handleBody(pending[i]!);
    }
    this.scheduleFlush();
  }

  private respond(frame: Frame, body: Uint8Array, payload: Uint8Array): void {
    const status = payload[0] ?? Status.BAD_REQUEST;
    const response = encodeFrame({
      seq: frame.seq,
      device: frame.device,
      op: frame.op,
      width: frame.width,
      count: frame.count,
      address: frame.address,
      flags: Flag.RESPONSE | (status !== Status.OK ? Flag.ERROR : 0) | (frame.flags & Flag.FIXED),
      payload,
    });
    this.cache.store(frame.seq, body, 0, body.length, response);
    this.send(response);
  }

  sendEvent(device: number, event: SimEvent): void {
    if (this.closed) return;
    const seq = this.eventSeq[device] ?? 0;
    this.eventSeq[device] = (seq + 1) & 0xffff;
    this.send(encodeFrame({ seq, device, op: Op.EVENT, flags: Flag.RESPONSE | Flag.ASYNC, payload: encodeEventPayload(event) }));
    this.scheduleFlush();
  }

  /** Queues the encoded frame `frame[start, end)` (SLIP-escaped into the next write). */
  private send(frame: Uint8Array, start = 0, end = frame.length): void {
    if (this.outbound.active) this.outbound.apply(slipEncode(frame.subarray(start, end)), (bytes) => this.queue(bytes));
    else this.out.addFrame(frame, start, end);
  }

  private queue(bytes: Uint8Array): void {
    this.out.addWire(bytes);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /** One write per batch of responses: each write is a syscall (and a wake-up) on a pty. */
  private flush(): void {
    this.flushQueued = false;
    this.answeredSinceWrite = 0;
    if (this.out.size === 0 || this.closed) return;
    this.out.writeTo(this.write, this.released);
    // Backpressure: a peer that does not drain its responses is dropped, which frees what was
    // queued for it (the client sees the link close and can reconnect).
    if ((this.transport.pendingBytes?.() ?? 0) > this.maxBacklog) {
      this.stats.droppedForBacklog = true;
      this.close();
      void this.transport.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbound.close();
    this.outbound.close();
    this.server.detach(this);
  }
}
