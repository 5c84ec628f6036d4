import { randomInt } from 'node:crypto';
import type { AccessOptions, BurstOptions, ClientOptions, ClientStats } from './client-options.ts';
import { LinkError, ProtocolError } from './errors.ts';
import { concatBytes, decodeHelloInfo, Flag, getU64, getUint, Op, putUint, ResetKind, Status, type DeviceEvent, type HelloInfo } from './frame.ts';
import { RequestBatch, type PendingRequest } from './pending-request.ts';
import { RequestPipeline } from './request-pipeline.ts';
import { ResponseReader } from './response-reader.ts';
import type { ByteTransport } from './transport.ts';

export type { AccessOptions, BurstOptions, ClientOptions, ClientStats } from './client-options.ts';

/** Ticks per TICK or WAIT request the client sends; longer advances are split (docs/limits.md). */
export const TICKS_PER_REQUEST = 10_000;

type Listener<T> = (value: T) => void;

/** The request `new Promise(attach)` is being made for: the executor needs no closure per request. */
let attaching: PendingRequest | undefined;
const unset = (): void => undefined;
const attach = (resolve: (value: unknown) => void, reject: (error: Error) => void): void => {
  attaching!.resolve = resolve;
  attaching!.reject = reject;
};

/**
 * Host side of the wire protocol: numbered requests, a pipelining window, per-request time-outs,
 * retransmission by seq (the device answers a retransmitted request from its cache, so a retried
 * WRITE never applies twice), HELLO with retries and an idle heartbeat. The operations are here;
 * sending and retransmitting are RequestPipeline's pass, reading responses ResponseReader's.
 */
export class Client {
  readonly stats: ClientStats = { requests: 0, retransmits: 0, duplicates: 0, crcErrors: 0, badFrames: 0, eventGaps: 0 };
  /** What the device said in the last HELLO. */
  info: HelloInfo | undefined;

  private readonly heartbeatMs: number;
  private readonly defaultDevice: number;
  /** Tells this client's session apart from an earlier one on the same link (a reopened pty). */
  private readonly nonce = randomInt(1, 2 ** 32 - 1);
  private readonly pipeline: RequestPipeline;
  private readonly reader: ResponseReader;
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
  private readonly listeners = { event: new Set<Listener<DeviceEvent>>(), linkLost: new Set<Listener<Error>>() };

  constructor(
    private readonly transport: ByteTransport,
    private readonly options: ClientOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.defaultDevice = options.device ?? 0;
    const window = Math.max(1, Math.min(options.window ?? 64, 1024));
    this.pipeline = new RequestPipeline(transport, { timeoutMs: options.timeoutMs ?? 200, retries: options.retries ?? 5, window }, this.stats, (request, error) =>
      this.gaveUp(request, error),
    );
    this.reader = new ResponseReader(
      this.stats,
      (bytes, start, end) => this.pipeline.answer(bytes, start, end),
      (event) => {
        for (const l of this.listeners.event) l(event);
      },
    );
    transport.onData((bytes) => {
      this.lastActivity = Date.now();
      this.reader.receive(bytes);
    });
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
        // HELLO reads its own status: its answer is checked as a whole.
        const answer = await this.enqueue<Uint8Array>(Op.HELLO, this.defaultDevice, 0, 0, 0, payload, 0);
        const info = decodeHelloInfo(answer, 1);
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

  read(address: number, options?: AccessOptions): Promise<number> {
    return this.request(Op.READ, options?.device, options?.width ?? 4, 1, address, undefined, 0);
  }

  /**
   * READs of every address, pipelined like as many `read` calls (each its own request, seq,
   * time-out and retransmission, executed in order), settled as one promise: the values in the
   * order of the addresses. The first failure rejects the batch (a ProtocolError for an error
   * answer, a LinkError when the link gives up); the requests after it are still executed.
   * The batch form of `read` for a caller that has many reads to make: it saves a promise, and the
   * wake-up of an awaiting caller, per read.
   */
  readMany(addresses: ArrayLike<number>, options?: AccessOptions): Promise<Uint32Array> {
    const width = options?.width ?? 4;
    const device = options?.device ?? this.defaultDevice;
    if (this.resync || this.lost) return this.resynchronise().then(() => this.enqueueReads(addresses, device, width));
    return this.enqueueReads(addresses, device, width);
  }

  write(address: number, value: number, options?: AccessOptions): Promise<void> {
    const width = options?.width ?? 4;
    const payload = new Uint8Array(width);
    putUint(payload, 0, value, width);
    return this.request(Op.WRITE, options?.device, width, 1, address, payload, 0);
  }

  /** Masked write in one round trip: bits in `mask` take `value`, others keep their state and side effects. */
  async modify(address: number, value: number, mask: number, options: AccessOptions = {}): Promise<{ old: number; value: number }> {
    const width = options.width ?? 4;
    const payload = new Uint8Array(width * 2);
    putUint(payload, 0, value, width);
    putUint(payload, width, mask, width);
    const answer = await this.request<Uint8Array>(Op.MODIFY, options.device, width, 1, address, payload);
    return { old: getUint(answer, 1, width), value: getUint(answer, 1 + width, width) };
  }

  async readBurst(address: number, count: number, options: BurstOptions = {}): Promise<number[]> {
    const width = options.width ?? 4;
    const answer = await this.request<Uint8Array>(Op.READ_BURST, options.device, width, count, address, undefined, options.fixed ? Flag.FIXED : 0);
    return Array.from({ length: count }, (_, i) => getUint(answer, 1 + i * width, width));
  }

  writeBurst(address: number, values: readonly number[], options: BurstOptions = {}): Promise<void> {
    const width = options.width ?? 4;
    const payload = new Uint8Array(values.length * width);
    values.forEach((v, i) => putUint(payload, i * width, v, width));
    return this.request(Op.WRITE_BURST, options.device, width, values.length, address, payload, options.fixed ? Flag.FIXED : 0);
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
        const answer = await this.request<Uint8Array>(Op.WAIT, options.device, width, 1, address, payload);
        return { value: getUint(answer, 1, width), ticks: waited + getUint(answer, 1 + width, 4) };
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
      const answer = await this.request<Uint8Array>(Op.TICK, options.device, 0, 0, 0, payload);
      left -= chunk;
      if (left <= 0) return getU64(answer, 1);
    }
  }

  reset(kind: 'power-on' | 'soft' = 'soft', options: { device?: number } = {}): Promise<void> {
    const payload = Uint8Array.of(kind === 'soft' ? ResetKind.SOFT : ResetKind.POWER_ON);
    return this.request(Op.RESET, options.device, 0, 0, 0, payload, 0);
  }

  /** Feeds bytes into a device input stream (`UART0.rx`); returns how many the device accepted. */
  async inject(stream: string, data: Uint8Array, options: { device?: number } = {}): Promise<number> {
    const name = new TextEncoder().encode(stream);
    const payload = concatBytes([Uint8Array.of(name.length), name, data]);
    const answer = await this.request<Uint8Array>(Op.INJECT, options.device, 1, data.length, 0, payload);
    return getUint(answer, 1, 2);
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
    return this.pipeline.pending;
  }

  async close(): Promise<void> {
    this.shutdown(new LinkError('protocol/link-closed', 'client closed'));
    await this.transport.close();
  }

  // ---------------------------------------------------------------- session

  private checkExpected(info: HelloInfo): void {
    const expect = this.options.expect;
    if (!expect) return;
    const problems: string[] = [];
    if (expect.board !== undefined && expect.board !== info.board) problems.push(`board ${info.board} (expected ${expect.board})`);
    if (expect.revision !== undefined && expect.revision !== info.revision) problems.push(`revision ${info.revision} (expected ${expect.revision})`);
    if (expect.specHash !== undefined && expect.specHash !== info.specHash) problems.push(`spec hash ${info.specHash.slice(0, 12)}… (expected ${expect.specHash.slice(0, 12)}…)`);
    if (problems.length > 0) throw new LinkError('protocol/spec-mismatch', `device does not match this driver: ${problems.join(', ')}`);
  }

  /** A request whose non-OK status becomes a ProtocolError; waits for a re-synchronising HELLO first. */
  private request<T>(
    op: number,
    device: number | undefined,
    width: number,
    count: number,
    address: number,
    payload?: Uint8Array,
    flags = 0,
  ): Promise<T> {
    const target = device ?? this.defaultDevice;
    if (this.resync || this.lost) return this.resynchronise().then(() => this.enqueue<T>(op, target, width, count, address, payload, flags));
    return this.enqueue<T>(op, target, width, count, address, payload, flags);
  }

  private enqueue<T>(
    op: number,
    device: number,
    width: number,
    count: number,
    address: number,
    payload: Uint8Array | undefined,
    flags: number,
  ): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const request = pendingRequest(op, device, width, count, address, flags, payload, undefined, 0);
    attaching = request;
    const promise = new Promise<T>(attach as (resolve: (value: T) => void, reject: (error: Error) => void) => void);
    attaching = undefined;
    this.pipeline.submit(request);
    this.startHeartbeat();
    return promise;
  }

  private enqueueReads(addresses: ArrayLike<number>, device: number, width: number): Promise<Uint32Array> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<Uint32Array>((resolve, reject) => {
      const batch = new RequestBatch(addresses.length, resolve, reject);
      // Each read straight into the pipeline, in order: no array of the batch's requests.
      for (let i = 0; i < addresses.length; i++) this.pipeline.submit(pendingRequest(Op.READ, device, width, 1, addresses[i]!, 0, undefined, batch, i));
      this.startHeartbeat();
    });
  }

  private startHeartbeat(): void {
    if (this.heartbeatMs > 0 && !this.heartbeat) {
      this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /**
   * A request exhausted its retries and every outstanding one failed with it: tell the listeners,
   * then re-synchronise with a HELLO before anything else is sent.
   */
  private gaveUp(request: PendingRequest, error: LinkError): void {
    for (const l of this.listeners.linkLost) l(error);
    if (request.op === Op.HELLO) return; // hello() itself retries
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

  private beat(): void {
    if (this.closedError || this.pending > 0 || this.resync || Date.now() - this.lastActivity < this.heartbeatMs) return;
    this.hello(1).catch((error: Error) => {
      for (const l of this.listeners.linkLost) l(error);
    });
  }

  private shutdown(error: LinkError): void {
    if (this.closedError) return;
    this.closedError = error;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.pipeline.failAll(error, true);
    this.pipeline.stop();
  }
}

/**
 * A request as the pipeline keeps it, every field in one place (one object shape for all requests).
 * What it resolves with and whether its status is checked follow from its op (`settle`): two
 * fields fewer per request, which a pipelined client allocates by the hundred thousand.
 */
function pendingRequest(
  op: number,
  device: number,
  width: number,
  count: number,
  address: number,
  flags: number,
  payload: Uint8Array | undefined,
  batch: RequestBatch | undefined,
  index: number,
): PendingRequest {
  return {
    seq: 0,
    op,
    device,
    width,
    count,
    address,
    flags,
    payload,
    attempts: 0,
    deadline: 0,
    fastAfter: 0,
    done: false,
    batch,
    index,
    resolve: unset,
    reject: unset,
  };
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
