import { randomInt } from 'node:crypto';
import { attemptTimeoutMs, type ClientStats } from './client-options.ts';
import { LinkError } from './errors.ts';
import { FrameBatch } from './frame-batch.ts';
import { HEADER_SIZE, CRC_SIZE, Status } from './frame.ts';
import { fail, settle, type PendingRequest } from './pending-request.ts';
import type { ByteTransport } from './transport.ts';

export interface PipelineOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly window: number;
}

/**
 * The client's sending pass: numbers requests, keeps at most `window` of them outstanding, encodes
 * them into one write per turn, retransmits on time-out (one sweep timer for all of them, not a
 * timer each) or at once on the device's hint, and settles each from its response.
 */
export class RequestPipeline {
  private nextSeq = randomInt(0, 0x10000);
  /**
   * Outstanding requests by seq: an array of the whole seq space rather than a Map, whose set, get
   * and delete per request were a visible share of a pipelined link's time.
   */
  private readonly bySeq: (PendingRequest | undefined)[] = new Array<PendingRequest | undefined>(0x10000).fill(undefined);
  private outstanding = 0;
  /**
   * Outstanding requests in the order they were first sent (answered ones are marked done and
   * skipped): the oldest is found without walking a Map from its start, which in V8 also walks
   * every deleted entry still in the table.
   */
  private sent: PendingRequest[] = [];
  private sentHead = 0;
  /** Requests waiting for a window slot; `queueHead` avoids O(n) shifts when thousands are queued. */
  private queue: PendingRequest[] = [];
  private queueHead = 0;
  private readonly batch = new FrameBatch();
  private readonly write = (bytes: Uint8Array): void => this.transport.write(bytes);
  private readonly released = (): boolean => this.transport.released?.() === true;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** Whether the sweep timer keeps the process alive (requests are outstanding). */
  private timerHeld = false;
  /**
   * Deadlines are kept in ms since the pipeline started, not since 1970: small integers stay
   * unboxed in a request's fields, where a Date.now() value would cost a heap number per request.
   */
  private readonly epoch = Date.now() - 1;
  /**
   * The clock as read in the turn whose write is still to be flushed (−1: none). Deadlines are
   * far coarser than one turn, and a Date.now() per request was 7 % of a pipelined client's time;
   * it is only kept while a flush is pending, which forgets it at the end of the turn.
   */
  private turnNow = -1;

  constructor(
    private readonly transport: ByteTransport,
    private readonly options: PipelineOptions,
    private readonly stats: ClientStats,
    /** A request exhausted its retries (the pipeline has already failed every outstanding one with `error`). */
    private readonly onGiveUp: (request: PendingRequest, error: LinkError) => void,
  ) {}

  get pending(): number {
    return this.outstanding + this.queue.length - this.queueHead;
  }

  submit(request: PendingRequest): void {
    if (this.queueHead === this.queue.length && this.outstanding < this.options.window) {
      // Nothing waiting and room in the window: straight out, not through the queue.
      this.start(request, this.clock());
      this.armTimer();
      return;
    }
    this.queue.push(request);
    this.pump();
  }

  /** A response (flags already checked: RESPONSE, not ASYNC) in `bytes[start, end)`, CRC verified. */
  answer(bytes: Uint8Array, start: number, end: number): void {
    const seq = bytes[start + 2]! | (bytes[start + 3]! << 8);
    const device = bytes[start + 4]!;
    const op = bytes[start + 5]!;
    const payloadStart = start + HEADER_SIZE;
    const payloadEnd = end - CRC_SIZE;
    const entry = this.bySeq[seq];
    if (entry && payloadEnd - payloadStart === 1 && bytes[payloadStart] === Status.CRC) {
      // The device saw this request damaged, or noticed it missing (a gap NAK, op 0): resend now
      // rather than at the time-out. Op and device are not checked: they came from a damaged header.
      this.stats.crcErrors++;
      this.fastRetransmit(entry);
      return;
    }
    if (!entry || entry.op !== op || entry.device !== device) {
      this.stats.duplicates++;
      return;
    }
    // The device answers in seq order, so an answer for this seq means the answers to older
    // outstanding requests were lost on the way back: ask for them again (the device's cache replies).
    for (let i = this.skipDone(); i < this.sent.length; i++) {
      const other = this.sent[i]!;
      if (other === entry) break;
      if (!other.done) this.fastRetransmit(other);
    }
    if (payloadEnd - payloadStart < 1) {
      this.stats.badFrames++;
      return;
    }
    this.bySeq[seq] = undefined;
    this.outstanding--;
    entry.done = true;
    settle(entry, bytes, payloadStart, payloadEnd);
    this.pump();
  }

  /** Fails every outstanding request (and, when `queued`, every waiting one) with `error`. */
  failAll(error: Error, queued: boolean): void {
    const failed: PendingRequest[] = [];
    for (let i = this.sentHead; i < this.sent.length; i++) {
      const r = this.sent[i]!;
      if (r.done) continue;
      failed.push(r);
      this.bySeq[r.seq] = undefined;
    }
    this.outstanding = 0;
    this.sent = [];
    this.sentHead = 0;
    if (queued) {
      failed.push(...this.queue.slice(this.queueHead));
      this.queue = [];
      this.queueHead = 0;
    }
    for (const f of failed) {
      f.done = true;
      fail(f, error);
    }
    this.armTimer();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    let now = 0;
    while (this.queueHead < this.queue.length && this.outstanding < this.options.window) {
      const request = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as PendingRequest;
      if (now === 0) now = this.clock();
      this.start(request, now);
    }
    if (this.queueHead === this.queue.length) {
      if (this.queueHead > 0) this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 4096) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.armTimer();
  }

  /** Numbers a request, makes it outstanding and sends it. */
  private start(request: PendingRequest, now: number): void {
    request.seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xffff;
    this.bySeq[request.seq] = request;
    this.outstanding++;
    this.sent.push(request);
    this.stats.requests++;
    this.transmit(request, now);
  }

  private transmit(request: PendingRequest, now: number): void {
    request.deadline = now + attemptTimeoutMs(this.options.timeoutMs, request.attempts);
    this.batch.add(request.seq, request.flags, request.device, request.op, request.width, request.count, request.address, request.payload);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One write per event-loop turn: on a pty every write is a syscall on both sides.
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.turnNow = -1;
      if (this.batch.size > 0) this.batch.writeTo(this.write, this.released);
    });
  }

  /**
   * Index of the oldest request not yet answered. Answered ones are dropped from the front at
   * once: held here they would outlive a young-generation GC or two and be copied and promoted.
   */
  private skipDone(): number {
    const sent = this.sent;
    while (this.sentHead < sent.length && sent[this.sentHead]!.done) sent[this.sentHead++] = undefined as unknown as PendingRequest;
    if (this.sentHead === sent.length) {
      sent.length = 0;
      this.sentHead = 0;
    } else if (this.sentHead > 256 && this.sentHead * 2 > sent.length) {
      sent.splice(0, this.sentHead);
      this.sentHead = 0;
    }
    return this.sentHead;
  }

  /**
   * The sweep runs while requests are outstanding. When none are, it is only unref'd (the process
   * may exit) and stopped by its next sweep: a pipelined client empties its window at every turn,
   * and a new interval and its clearing per turn cost more than the sweep.
   */
  private armTimer(): void {
    if (this.outstanding > 0) {
      if (!this.timer) {
        this.timer = setInterval(() => this.checkTimeouts(), Math.max(1, Math.floor(this.options.timeoutMs / 4)));
        this.timerHeld = true;
      } else if (!this.timerHeld) {
        this.timer.ref();
        this.timerHeld = true;
      }
    } else if (this.timer && this.timerHeld) {
      this.timer.unref();
      this.timerHeld = false;
    }
  }

  private checkTimeouts(): void {
    if (this.outstanding === 0) {
      this.stop();
      return;
    }
    const now = this.clock();
    for (let i = this.skipDone(); i < this.sent.length; i++) {
      const entry = this.sent[i]!;
      if (entry.done || entry.deadline > now) continue;
      if (entry.attempts >= this.options.retries) {
        // The device executes requests in seq order, so everything sent after this one is stuck
        // behind it: all of them fail (their outcome is unknown and said so).
        const error = new LinkError('protocol/timeout', `no answer for seq ${entry.seq} after ${entry.attempts + 1} attempts over ${this.transport.description}`);
        this.failAll(error, false);
        this.onGiveUp(entry, error);
        return;
      }
      entry.attempts++;
      this.stats.retransmits++;
      this.transmit(entry, now);
    }
  }

  private clock(): number {
    if (this.turnNow >= 0) return this.turnNow;
    const now = Date.now() - this.epoch;
    if (this.flushScheduled) this.turnNow = now;
    return now;
  }

  /** At most one early resend per time-out period, so a burst of hints does not flood the link. */
  private fastRetransmit(entry: PendingRequest): void {
    const now = this.clock();
    if (now < entry.fastAfter) return;
    entry.fastAfter = now + Math.floor(this.options.timeoutMs / 2);
    this.stats.retransmits++;
    this.transmit(entry, now);
  }
}
