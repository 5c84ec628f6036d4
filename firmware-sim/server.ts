import {
  concatBytes,
  decodeFrame,
  encodeEventPayload,
  encodeFrame,
  encodeHelloInfo,
  Flag,
  getUint,
  MAX_PAYLOAD,
  Op,
  PROTOCOL_VERSION,
  putU64,
  putUint,
  readLengthPrefixed,
  ResetKind,
  Status,
  type Frame,
} from '../src/protocol/frame.ts';
import { FrameBatch } from '../src/protocol/frame-batch.ts';
import { ResponseCache } from '../src/protocol/response-cache.ts';
import { SlipDecoder, slipEncode } from '../src/protocol/slip.ts';
import type { ByteTransport } from '../src/protocol/transport.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import type { SimEvent, Simulator } from './simulator.ts';

export interface ServerOptions {
  readonly faults?: FaultOptions;
  /** Responses remembered per client for retransmitted requests. */
  readonly cacheSize?: number;
  /** Advance virtual time with the wall clock (ticks per second); off by default. */
  readonly realtimeHz?: number;
  /**
   * Responses a link may leave unread before it is dropped (bytes; default 1 MiB): a client that
   * sends requests and never reads the answers cannot grow the simulator's memory, and the other
   * links keep their service.
   */
  readonly maxBacklogBytes?: number;
}

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

/** How far ahead of the expected seq a request may arrive and still be held for in-order execution. */
const REORDER_WINDOW = 1024;
/**
 * A TICK or WAIT longer than this runs in slices of this many ticks, one per event-loop turn, so
 * the other links' requests are served between them; its own link's later requests wait for it.
 */
export const TICK_SLICE = 10_000;

/**
 * One client on one link. Requests run exactly once and in seq order: a retransmitted request is
 * answered from the cache (a retried WRITE never applies twice); a request that overtook a lost
 * one waits until the gap is filled, so pipelining plus retries never reorders register accesses.
 */
class Link {
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
  /** Responses encoded for the next write. */
  private readonly out = new FrameBatch();
  private flushQueued = false;
  private closed = false;
  /** A sliced TICK/WAIT is running: frames arriving meanwhile wait here, in order (bounded). */
  private busy = false;
  private readonly waiting: Uint8Array[] = [];

  constructor(
    private readonly server: SimServer,
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

  private receive(bytes: Uint8Array): void {
    this.decoder.push(bytes, (event) => {
      if (event.kind !== 'frame') {
        this.stats.crcErrors++;
        return;
      }
      if (this.inbound.active) this.inbound.apply(event.body, (body) => this.handleBody(body));
      else this.handleBody(event.body);
    });
    this.flush();
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

  private send(frame: Uint8Array): void {
    if (this.outbound.active) this.outbound.apply(slipEncode(frame), (bytes) => this.queue(bytes));
    else this.out.addFrame(frame);
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
    if (this.out.size === 0 || this.closed) return;
    this.transport.write(this.out.take());
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

function* tickSlices(frame: Frame, total: number): Generator<Frame, Uint8Array, Uint8Array> {
  let last: Uint8Array = Uint8Array.of(Status.OK);
  for (let left = total; left > 0 && last[0] === Status.OK; ) {
    const n = Math.min(TICK_SLICE, left);
    const payload = new Uint8Array(4);
    putUint(payload, 0, n, 4);
    last = yield { ...frame, payload };
    left -= n;
  }
  return last;
}

/** WAIT in slices; the response reports the ticks waited over all of them. */
function* waitSlices(frame: Frame, timeout: number): Generator<Frame, Uint8Array, Uint8Array> {
  const w = frame.width;
  let waited = 0;
  for (;;) {
    const payload = frame.payload.slice();
    putUint(payload, w * 2, Math.min(TICK_SLICE, timeout - waited), 4);
    const result: Uint8Array = yield { ...frame, payload };
    if (result.length < 1 + w + 4) return result;
    waited += getUint(result, 1 + w, 4);
    if (result[0] !== Status.TIMEOUT || waited >= timeout) {
      const out = result.slice();
      putUint(out, 1 + w, waited, 4);
      return out;
    }
  }
}

/**
 * The device side of the wire protocol: one or more simulated devices (the frame's device byte
 * picks one) served to any number of links. Requests execute synchronously, one at a time, so
 * several clients are served strictly in arrival order.
 */
export class SimServer {
  private readonly links = new Set<Link>();
  private nextLinkId = 1;
  private realtime: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly devices: readonly Simulator[],
    private readonly options: ServerOptions = {},
  ) {
    devices.forEach((sim, index) => {
      this.unsubscribe.push(sim.onEvent((event) => this.broadcast(index, event)));
      for (const address of options.faults?.busErrors ?? []) sim.model.busErrorAddresses.add(address);
      for (const s of options.faults?.stuck ?? []) {
        for (let i = 0; i < 4; i++) {
          const mask = (s.mask >>> (8 * i)) & 0xff;
          if (mask !== 0) sim.model.stuckBits.set(s.address + i, { mask, value: (s.value >>> (8 * i)) & 0xff });
        }
      }
    });
    if (options.realtimeHz && options.realtimeHz > 0) {
      const hz = options.realtimeHz;
      let last = performance.now();
      let owed = 0;
      this.realtime = setInterval(() => {
        const now = performance.now();
        owed += ((now - last) * hz) / 1000;
        last = now;
        const whole = Math.floor(owed);
        owed -= whole;
        if (whole > 0) for (const sim of this.devices) sim.tick(whole);
      }, 10);
    }
  }

  /** Serves one link (a connection, a pty, an in-process pipe). */
  attach(transport: ByteTransport): { readonly id: number; readonly stats: LinkStats; readonly faults: Link['faultStats'] } {
    const link = new Link(
      this,
      transport,
      this.nextLinkId++,
      this.options.cacheSize ?? 4096,
      this.options.faults ?? {},
      this.options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG_BYTES,
    );
    this.links.add(link);
    return {
      id: link.id,
      stats: link.stats,
      get faults() {
        return link.faultStats;
      },
    };
  }

  detach(link: Link): void {
    this.links.delete(link);
  }

  get linkCount(): number {
    return this.links.size;
  }

  private broadcast(device: number, event: SimEvent): void {
    for (const link of this.links) link.sendEvent(device, event);
  }

  /**
   * For a valid TICK or WAIT longer than TICK_SLICE ticks: the slice requests to execute one by one
   * (each answer is fed back), returning the whole request's response. Undefined: execute it at once.
   */
  slices(frame: Frame): Generator<Frame, Uint8Array, Uint8Array> | undefined {
    const sim = this.devices[frame.device];
    if (!sim || frame.version !== PROTOCOL_VERSION || frame.flags !== 0) return undefined;
    const { width, payload } = frame;
    if (frame.op === Op.TICK && payload.length === 4) {
      const total = Math.min(getUint(payload, 0, 4), sim.maxTicksPerRequest);
      return total > TICK_SLICE ? tickSlices(frame, total) : undefined;
    }
    if (frame.op === Op.WAIT && (width === 1 || width === 2 || width === 4) && frame.count <= 1 && payload.length === width * 2 + 4) {
      const timeout = Math.min(getUint(payload, width * 2, 4), sim.maxTicksPerRequest);
      return timeout > TICK_SLICE ? waitSlices(frame, timeout) : undefined;
    }
    return undefined;
  }

  /** Executes one request and returns the response payload (status byte first). */
  execute(frame: Frame, origin: { client: number; seq: number }): Uint8Array {
    if (frame.version !== PROTOCOL_VERSION) return Uint8Array.of(Status.BAD_REQUEST);
    const sim = this.devices[frame.device];
    if (!sim) return Uint8Array.of(Status.BAD_DEVICE);
    const { op, width, count, address, payload } = frame;
    const widthOk = width === 1 || width === 2 || width === 4;
    const bad = Uint8Array.of(Status.BAD_REQUEST);
    // protocol.md: in a request only FIXED may be set, and only on a burst; other bits are reserved (0).
    const burst = op === Op.READ_BURST || op === Op.WRITE_BURST;
    if ((frame.flags & ~Flag.FIXED) !== 0 || ((frame.flags & Flag.FIXED) !== 0 && !burst)) return bad;
    // Single accesses carry count 1 (0, what a zeroed header says, is taken as 1); a burst's
    // count × width fits the largest payload.
    const single = op === Op.READ || op === Op.WRITE || op === Op.MODIFY || op === Op.WAIT;
    if ((single && count > 1) || (burst && (count === 0 || count * width > MAX_PAYLOAD))) return bad;
    switch (op) {
      case Op.HELLO: {
        const board = sim.device.board ?? sim.device.name;
        const info = encodeHelloInfo({
          protocolVersion: PROTOCOL_VERSION,
          deviceCount: this.devices.length,
          maxPayload: MAX_PAYLOAD,
          board,
          revision: sim.device.revision ?? sim.device.version ?? '',
          specHash: sim.specHash,
        });
        return concatBytes([Uint8Array.of(Status.OK), info]);
      }
      case Op.READ: {
        if (!widthOk || payload.length !== 0) return bad;
        const r = sim.read(address, width, origin);
        if (r.status !== Status.OK) return Uint8Array.of(r.status);
        const out = new Uint8Array(1 + width);
        putUint(out, 1, r.value, width);
        return out;
      }
      case Op.WRITE: {
        if (!widthOk || payload.length !== width) return bad;
        return Uint8Array.of(sim.write(address, width, getUint(payload, 0, width), origin).status);
      }
      case Op.MODIFY: {
        if (!widthOk || payload.length !== width * 2) return bad;
        const r = sim.modify(address, width, getUint(payload, 0, width), getUint(payload, width, width), origin);
        if (r.status !== Status.OK) return Uint8Array.of(r.status);
        const out = new Uint8Array(1 + 2 * width);
        putUint(out, 1, r.old, width);
        putUint(out, 1 + width, r.value, width);
        return out;
      }
      case Op.READ_BURST: {
        if (!widthOk || count === 0 || count * width > MAX_PAYLOAD || payload.length !== 0) return bad;
        const r = sim.readBurst(address, width, count, (frame.flags & Flag.FIXED) !== 0, origin);
        const out = new Uint8Array(1 + r.values.length * width);
        out[0] = r.status;
        r.values.forEach((v, i) => putUint(out, 1 + i * width, v, width));
        return out;
      }
      case Op.WRITE_BURST: {
        if (!widthOk || count === 0 || payload.length !== count * width) return bad;
        const values = Array.from({ length: count }, (_, i) => getUint(payload, i * width, width));
        const r = sim.writeBurst(address, width, values, (frame.flags & Flag.FIXED) !== 0, origin);
        const out = new Uint8Array(3);
        out[0] = r.status;
        putUint(out, 1, r.done, 2);
        return out;
      }
      case Op.WAIT: {
        if (!widthOk || payload.length !== width * 2 + 4) return bad;
        const r = sim.wait(address, width, getUint(payload, 0, width), getUint(payload, width, width), getUint(payload, width * 2, 4), origin);
        if (r.status !== Status.OK && r.status !== Status.TIMEOUT) return Uint8Array.of(r.status);
        const out = new Uint8Array(1 + width + 4);
        out[0] = r.status;
        putUint(out, 1, r.value, width);
        putUint(out, 1 + width, r.elapsed, 4);
        return out;
      }
      case Op.TICK: {
        if (payload.length !== 4) return bad;
        const r = sim.tick(getUint(payload, 0, 4), origin);
        const out = new Uint8Array(9);
        putU64(out, 1, r.now);
        return out;
      }
      case Op.RESET: {
        if (payload.length !== 1 || (payload[0] !== ResetKind.POWER_ON && payload[0] !== ResetKind.SOFT)) return bad;
        return Uint8Array.of(sim.reset(payload[0] === ResetKind.SOFT ? 'soft' : 'power-on', origin).status);
      }
      case Op.INJECT: {
        const name = readLengthPrefixed(payload, 0);
        // `count` is the number of bytes injected (protocol.md §3).
        if (!name || payload.length - name.next !== count) return bad;
        const r = sim.inject(name.text, payload.subarray(name.next), origin);
        const out = new Uint8Array(3);
        out[0] = r.status;
        putUint(out, 1, r.accepted, 2);
        return out;
      }
      default:
        return bad;
    }
  }

  async close(): Promise<void> {
    if (this.realtime) clearInterval(this.realtime);
    for (const u of this.unsubscribe) u();
    const links = [...this.links];
    for (const link of links) link.close();
    await Promise.all(links.map((l) => l.transport.close()));
  }
}
