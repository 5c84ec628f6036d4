import { randomInt } from 'node:crypto';
import { LinkError, ProtocolError } from './errors.ts';
import {
  concatBytes,
  decodeEventPayload,
  decodeFrame,
  decodeHelloInfo,
  encodeFrame,
  Flag,
  getU64,
  getUint,
  MAX_PAYLOAD,
  Op,
  putUint,
  ResetKind,
  Status,
  type DeviceEvent,
  type Frame,
  type HelloInfo,
} from './frame.ts';
import { SlipDecoder, slipEncode } from './slip.ts';
import type { ByteTransport } from './transport.ts';

/** Ticks per TICK or WAIT request the client sends; longer advances are split (docs/limits.md). */
export const TICKS_PER_REQUEST = 10_000;

export interface ClientOptions {
  /** Time to wait for each response before retransmitting (ms). */
  readonly timeoutMs?: number;
  /** Retransmissions per request before it is reported as a LinkError. */
  readonly retries?: number;
  /** Most requests outstanding at once (pipelining depth). */
  readonly window?: number;
  /** HELLO attempts on connect (bytes written before a pty peer opens are lost, so keep asking). */
  readonly helloRetries?: number;
  /** Idle time after which a HELLO checks the link is alive (ms); 0 disables. */
  readonly heartbeatMs?: number;
  /** Refuse a device whose HELLO does not match (generated SDKs pass their spec hash). */
  readonly expect?: { readonly specHash?: string; readonly board?: string; readonly revision?: string };
  /** Default device number for requests. */
  readonly device?: number;
}

export interface AccessOptions {
  /** Access width in bytes: 1, 2 or 4 (default 4). */
  readonly width?: 1 | 2 | 4;
  readonly device?: number;
}

export interface BurstOptions extends AccessOptions {
  /** Every beat at the same address (FIFO data registers) instead of incrementing. */
  readonly fixed?: boolean;
}

export interface ClientStats {
  requests: number;
  retransmits: number;
  duplicates: number;
  crcErrors: number;
  badFrames: number;
  eventGaps: number;
}

interface Outstanding {
  readonly seq: number;
  readonly op: number;
  readonly device: number;
  readonly address: number;
  readonly wire: Uint8Array;
  attempts: number;
  deadline: number;
  /** Earliest time for another fast (hinted) retransmission. */
  fastAfter: number;
  resolve(frame: Frame): void;
  reject(error: Error): void;
}

interface Queued {
  readonly build: (seq: number) => Uint8Array;
  readonly op: number;
  readonly device: number;
  readonly address: number;
  resolve(frame: Frame): void;
  reject(error: Error): void;
}

type Listener<T> = (value: T) => void;

/**
 * Host side of the wire protocol: numbered requests, a pipelining window, per-request time-outs,
 * retransmission by seq (the device answers a retransmitted request from its cache, so a retried
 * WRITE never applies twice), HELLO with retries and an idle heartbeat.
 */
export class Client {
  readonly stats: ClientStats = { requests: 0, retransmits: 0, duplicates: 0, crcErrors: 0, badFrames: 0, eventGaps: 0 };
  /** What the device said in the last HELLO. */
  info: HelloInfo | undefined;

  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly window: number;
  private readonly heartbeatMs: number;
  private readonly defaultDevice: number;
  /** Tells this client's session apart from an earlier one on the same link (a reopened pty). */
  private readonly nonce = randomInt(1, 2 ** 32 - 1);
  private nextSeq = randomInt(0, 0x10000);
  private readonly outstanding = new Map<number, Outstanding>();
  /** Requests waiting for a window slot; `queueHead` avoids O(n) shifts when thousands are queued. */
  private queue: Queued[] = [];
  private queueHead = 0;
  private readonly decoder = new SlipDecoder(MAX_PAYLOAD * 2 + 64);
  private outgoing: Uint8Array[] = [];
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastActivity = Date.now();
  private closedError: LinkError | undefined;
  private resync: Promise<void> | undefined;
  /**
   * Set when a re-synchronising HELLO went unanswered: the link is presumed lost, not closed. The
   * next request tries HELLO again first, so a client recovers when the device does (a flood of
   * other clients, a busy simulator) instead of giving up for good.
   */
  private lost: LinkError | undefined;
  private readonly lastEventSeq = new Map<number, number>();
  private readonly listeners = { event: new Set<Listener<DeviceEvent>>(), linkLost: new Set<Listener<Error>>() };

  constructor(
    private readonly transport: ByteTransport,
    private readonly options: ClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 200;
    this.retries = options.retries ?? 5;
    this.window = Math.max(1, Math.min(options.window ?? 64, 1024));
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.defaultDevice = options.device ?? 0;
    transport.onData((bytes) => this.receive(bytes));
    transport.onClose((error) => this.shutdown(new LinkError('protocol/link-closed', `link ${transport.description} closed${error ? `: ${error.message}` : ''}`)));
  }

  // ---------------------------------------------------------------- public API

  /** HELLO with retries; checks the expected board, revision and spec hash. */
  async hello(attempts = this.options.helloRetries ?? 10): Promise<HelloInfo> {
    const payload = new Uint8Array(4);
    putUint(payload, 0, this.nonce, 4);
    let lastError: Error | undefined;
    for (let i = 0; i < attempts; i++) {
      try {
        const frame = await this.send(Op.HELLO, this.defaultDevice, 0, 0, 0, payload, 0);
        const info = decodeHelloInfo(frame.payload, 1);
        if (!info) throw new LinkError('protocol/bad-response', 'malformed HELLO response');
        this.checkExpected(info);
        this.info = info;
        return info;
      } catch (error) {
        if (!(error instanceof LinkError) || error.code === 'protocol/spec-mismatch' || error.code === 'protocol/link-closed') throw error;
        lastError = error;
      }
    }
    throw new LinkError('protocol/no-hello', `no HELLO answer over ${this.transport.description} after ${attempts} attempts${lastError ? ` (${lastError.message})` : ''}`);
  }

  async read(address: number, options: AccessOptions = {}): Promise<number> {
    const width = options.width ?? 4;
    const frame = await this.request(Op.READ, options.device, width, 1, address);
    return getUint(frame.payload, 1, width);
  }

  async write(address: number, value: number, options: AccessOptions = {}): Promise<void> {
    const width = options.width ?? 4;
    const payload = new Uint8Array(width);
    putUint(payload, 0, value, width);
    await this.request(Op.WRITE, options.device, width, 1, address, payload);
  }

  /** Masked write in one round trip: bits in `mask` take `value`, others keep their state and side effects. */
  async modify(address: number, value: number, mask: number, options: AccessOptions = {}): Promise<{ old: number; value: number }> {
    const width = options.width ?? 4;
    const payload = new Uint8Array(width * 2);
    putUint(payload, 0, value, width);
    putUint(payload, width, mask, width);
    const frame = await this.request(Op.MODIFY, options.device, width, 1, address, payload);
    return { old: getUint(frame.payload, 1, width), value: getUint(frame.payload, 1 + width, width) };
  }

  async readBurst(address: number, count: number, options: BurstOptions = {}): Promise<number[]> {
    const width = options.width ?? 4;
    const frame = await this.request(Op.READ_BURST, options.device, width, count, address, undefined, options.fixed ? Flag.FIXED : 0);
    return Array.from({ length: count }, (_, i) => getUint(frame.payload, 1 + i * width, width));
  }

  async writeBurst(address: number, values: readonly number[], options: BurstOptions = {}): Promise<void> {
    const width = options.width ?? 4;
    const payload = new Uint8Array(values.length * width);
    values.forEach((v, i) => putUint(payload, i * width, v, width));
    await this.request(Op.WRITE_BURST, options.device, width, values.length, address, payload, options.fixed ? Flag.FIXED : 0);
  }

  /**
   * Waits in the device until `(register & mask) === value`, advancing virtual time, for at most
   * `timeoutTicks`. Rejects with ProtocolError(TIMEOUT) when the condition never held.
   */
  async waitFor(address: number, value: number, mask: number, timeoutTicks: number, options: AccessOptions = {}): Promise<{ value: number; ticks: number }> {
    const width = options.width ?? 4;
    // In requests of at most TICKS_PER_REQUEST ticks: each is answered well within the request
    // time-out, and the device serves other links between them.
    let waited = 0;
    for (;;) {
      const chunk = Math.min(TICKS_PER_REQUEST, timeoutTicks - waited);
      const payload = new Uint8Array(width * 2 + 4);
      putUint(payload, 0, value, width);
      putUint(payload, width, mask, width);
      putUint(payload, width * 2, chunk, 4);
      try {
        const frame = await this.request(Op.WAIT, options.device, width, 1, address, payload);
        return { value: getUint(frame.payload, 1, width), ticks: waited + getUint(frame.payload, 1 + width, 4) };
      } catch (error) {
        waited += chunk;
        if (!(error instanceof ProtocolError) || error.status !== Status.TIMEOUT || waited >= timeoutTicks) throw error;
      }
    }
  }

  /**
   * Advances virtual time; returns the device's time afterwards. Sent in requests of at most
   * TICKS_PER_REQUEST ticks, so a long advance neither outlasts the request time-out nor holds up
   * the device's other links; the time returned is the device's after the last one.
   */
  async tick(ticks = 1, options: { device?: number } = {}): Promise<number> {
    let left = ticks;
    for (;;) {
      const chunk = Math.min(TICKS_PER_REQUEST, left);
      const payload = new Uint8Array(4);
      putUint(payload, 0, chunk, 4);
      const frame = await this.request(Op.TICK, options.device, 0, 0, 0, payload);
      left -= chunk;
      if (left <= 0) return getU64(frame.payload, 1);
    }
  }

  async reset(kind: 'power-on' | 'soft' = 'soft', options: { device?: number } = {}): Promise<void> {
    await this.request(Op.RESET, options.device, 0, 0, 0, Uint8Array.of(kind === 'soft' ? ResetKind.SOFT : ResetKind.POWER_ON));
  }

  /** Feeds bytes into a device input stream (`UART0.rx`); returns how many the device accepted. */
  async inject(stream: string, data: Uint8Array, options: { device?: number } = {}): Promise<number> {
    const name = new TextEncoder().encode(stream);
    const payload = concatBytes([Uint8Array.of(name.length), name, data]);
    const frame = await this.request(Op.INJECT, options.device, 1, data.length, 0, payload);
    return getUint(frame.payload, 1, 2);
  }

  /** Device → host events (interrupt lines, output streams). Returns an unsubscribe function. */
  onEvent(listener: Listener<DeviceEvent>): () => void {
    this.listeners.event.add(listener);
    return () => this.listeners.event.delete(listener);
  }

  /** Called when a heartbeat or a request gave up: the link is presumed dead until a HELLO succeeds. */
  onLinkLost(listener: Listener<Error>): () => void {
    this.listeners.linkLost.add(listener);
    return () => this.listeners.linkLost.delete(listener);
  }

  get pending(): number {
    return this.outstanding.size + this.queue.length - this.queueHead;
  }

  async close(): Promise<void> {
    this.shutdown(new LinkError('protocol/link-closed', 'client closed'));
    await this.transport.close();
  }

  // ---------------------------------------------------------------- machinery

  private checkExpected(info: HelloInfo): void {
    const expect = this.options.expect;
    if (!expect) return;
    const problems: string[] = [];
    if (expect.board !== undefined && expect.board !== info.board) problems.push(`board ${info.board} (expected ${expect.board})`);
    if (expect.revision !== undefined && expect.revision !== info.revision) problems.push(`revision ${info.revision} (expected ${expect.revision})`);
    if (expect.specHash !== undefined && expect.specHash !== info.specHash) problems.push(`spec hash ${info.specHash.slice(0, 12)}… (expected ${expect.specHash.slice(0, 12)}…)`);
    if (problems.length > 0) throw new LinkError('protocol/spec-mismatch', `device does not match this driver: ${problems.join(', ')}`);
  }

  /** A request whose non-OK status becomes a ProtocolError. */
  private async request(op: number, device: number | undefined, width: number, count: number, address: number, payload?: Uint8Array, flags = 0): Promise<Frame> {
    if (this.resync || this.lost) await this.resynchronise();
    const frame = await this.send(op, device ?? this.defaultDevice, width, count, address, payload, flags);
    const status = frame.payload[0] ?? Status.BAD_REQUEST;
    if (status !== Status.OK) {
      const completed = op === Op.WRITE_BURST ? getUint(frame.payload, 1, 2) : op === Op.READ_BURST ? Math.floor((frame.payload.length - 1) / Math.max(1, width)) : undefined;
      throw new ProtocolError(status, op, address, completed);
    }
    return frame;
  }

  private send(op: number, device: number, width: number, count: number, address: number, payload: Uint8Array | undefined, flags: number): Promise<Frame> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<Frame>((resolve, reject) => {
      const build = (seq: number): Uint8Array => slipEncode(encodeFrame({ seq, device, op, width, count, address, flags, ...(payload ? { payload } : {}) }));
      this.queue.push({ build, op, device, address, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queueHead < this.queue.length && this.outstanding.size < this.window) {
      const item = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as Queued;
      const seq = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      const entry: Outstanding = { seq, op: item.op, device: item.device, address: item.address, wire: item.build(seq), attempts: 0, deadline: 0, fastAfter: 0, resolve: item.resolve, reject: item.reject };
      this.outstanding.set(seq, entry);
      this.stats.requests++;
      this.transmit(entry);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 4096) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.armTimer();
  }

  private transmit(entry: Outstanding): void {
    entry.deadline = Date.now() + this.timeoutMs;
    this.outgoing.push(entry.wire);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One write per event-loop turn: on a pty every write is a syscall on both sides.
    queueMicrotask(() => {
      this.flushScheduled = false;
      const chunks = this.outgoing;
      this.outgoing = [];
      if (chunks.length === 1) this.transport.write(chunks[0]!);
      else if (chunks.length > 1) this.transport.write(concatBytes(chunks));
    });
  }

  private armTimer(): void {
    if (this.outstanding.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.checkTimeouts(), Math.max(1, Math.floor(this.timeoutMs / 4)));
    } else if (this.outstanding.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (this.heartbeatMs > 0 && !this.heartbeat && !this.closedError) {
      this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  private checkTimeouts(): void {
    const now = Date.now();
    for (const entry of this.outstanding.values()) {
      if (entry.deadline > now) continue;
      if (entry.attempts >= this.retries) {
        this.giveUp(entry);
        return;
      }
      entry.attempts++;
      this.stats.retransmits++;
      this.transmit(entry);
    }
  }

  /**
   * A request exhausted its retries. The device executes requests in seq order, so everything sent
   * after it is stuck behind it: fail all of them (their outcome is unknown and said so), then
   * re-synchronise with a HELLO before anything else is sent.
   */
  private giveUp(entry: Outstanding): void {
    const error = new LinkError('protocol/timeout', `no answer for seq ${entry.seq} after ${entry.attempts + 1} attempts over ${this.transport.description}`);
    const failed = [...this.outstanding.values()];
    this.outstanding.clear();
    for (const f of failed) f.reject(error);
    this.armTimer();
    for (const l of this.listeners.linkLost) l(error);
    if (entry.op === Op.HELLO) return; // hello() itself retries
    this.resynchronise().catch(() => undefined);
  }

  /**
   * One HELLO exchange at a time. A spec mismatch or a closed link ends the client; a HELLO that
   * goes unanswered only marks the link lost (the caller's request fails with it, the next one tries
   * again).
   */
  private resynchronise(): Promise<void> {
    this.resync ??= this.hello().then(
      () => {
        this.resync = undefined;
        this.lost = undefined;
      },
      (helloError: Error) => {
        this.resync = undefined;
        const error = helloError instanceof LinkError ? helloError : new LinkError('protocol/no-hello', String(helloError));
        if (error.code === 'protocol/spec-mismatch' || error.code === 'protocol/link-closed') this.shutdown(error);
        else this.lost = error;
        throw error;
      },
    );
    return this.resync;
  }

  /** At most one early resend per time-out period, so a burst of hints does not flood the link. */
  private fastRetransmit(entry: Outstanding): void {
    const now = Date.now();
    if (now < entry.fastAfter) return;
    entry.fastAfter = now + this.timeoutMs / 2;
    this.stats.retransmits++;
    this.transmit(entry);
  }

  private beat(): void {
    if (this.closedError || this.pending > 0 || this.resync || Date.now() - this.lastActivity < this.heartbeatMs) return;
    this.hello(1).catch((error: Error) => {
      for (const l of this.listeners.linkLost) l(error);
    });
  }

  private receive(bytes: Uint8Array): void {
    this.lastActivity = Date.now();
    this.decoder.push(bytes, (event) => {
      if (event.kind !== 'frame') {
        this.stats.badFrames++;
        return;
      }
      const decoded = decodeFrame(event.body);
      if (!decoded.ok) {
        // A corrupted response: its seq cannot be trusted; the request's time-out retransmits it.
        this.stats.badFrames++;
        return;
      }
      this.handleFrame(decoded.frame);
    });
  }

  private handleFrame(frame: Frame): void {
    if (!(frame.flags & Flag.RESPONSE)) {
      this.stats.badFrames++;
      return;
    }
    if (frame.flags & Flag.ASYNC) {
      this.handleEvent(frame);
      return;
    }
    const entry = this.outstanding.get(frame.seq);
    if (entry && frame.payload[0] === Status.CRC && frame.payload.length === 1) {
      // The device saw this request damaged, or noticed it missing (a gap NAK, op 0): resend now
      // rather than at the time-out. Op and device are not checked: they came from a damaged header.
      this.stats.crcErrors++;
      this.fastRetransmit(entry);
      return;
    }
    if (!entry || entry.op !== frame.op || entry.device !== frame.device) {
      this.stats.duplicates++;
      return;
    }
    // The device answers in seq order, so an answer for this seq means the answers to older
    // outstanding requests were lost on the way back: ask for them again (the device's cache replies).
    const oldest = this.outstanding.values().next().value;
    if (oldest && oldest !== entry) {
      for (const other of this.outstanding.values()) {
        if (other === entry) break;
        this.fastRetransmit(other);
      }
    }
    if (frame.payload.length < 1) {
      this.stats.badFrames++;
      return;
    }
    this.outstanding.delete(frame.seq);
    entry.resolve(frame);
    this.pump();
  }

  private handleEvent(frame: Frame): void {
    const event = decodeEventPayload(frame);
    if (!event) {
      this.stats.badFrames++;
      return;
    }
    const last = this.lastEventSeq.get(frame.device);
    if (last !== undefined && frame.seq !== ((last + 1) & 0xffff)) {
      if (((frame.seq - last) & 0xffff) > 0x8000 || frame.seq === last) return; // a duplicate or stale event
      this.stats.eventGaps++;
    }
    this.lastEventSeq.set(frame.device, frame.seq);
    for (const l of this.listeners.event) l(event);
  }

  private shutdown(error: LinkError): void {
    if (this.closedError) return;
    this.closedError = error;
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = undefined;
    const failed = [...this.outstanding.values(), ...this.queue.slice(this.queueHead)];
    this.outstanding.clear();
    this.queue = [];
    this.queueHead = 0;
    for (const f of failed) f.reject(error);
  }
}

/** Opens a client on a transport and performs the HELLO handshake (with retries). */
export async function connect(transport: ByteTransport, options: ClientOptions = {}): Promise<Client> {
  const client = new Client(transport, options);
  try {
    await client.hello();
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
