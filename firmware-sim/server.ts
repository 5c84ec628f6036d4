import { Status, type Frame } from '../src/protocol/frame.ts';
import type { ByteTransport } from '../src/protocol/transport.ts';
import type { FaultOptions } from './faults.ts';
import { executeRequest } from './server-execute.ts';
import { DEFAULT_MAX_BACKLOG_BYTES, Link, type LinkStats } from './server-link.ts';
import { requestSlices } from './server-slices.ts';
import type { SimEvent, Simulator } from './simulator.ts';

export { DEFAULT_MAX_BACKLOG_BYTES, type LinkStats } from './server-link.ts';
export { TICK_SLICE } from './server-slices.ts';

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
    return requestSlices(this.devices, frame);
  }

  /** Executes one request and returns the response payload (status byte first). */
  execute(frame: Frame, origin: { client: number; seq: number }): Uint8Array {
    return executeRequest(this.devices, frame, origin);
  }

  /** A well-formed single READ (the link's fast path): the value (≥ 0), or −status. */
  readValue(device: number, address: number, width: number, client: number, seq: number): number {
    const sim = this.devices[device];
    return sim ? sim.readValue(address, width, client, seq) : -Status.BAD_DEVICE;
  }

  /** A well-formed single WRITE (the link's fast path): the status. */
  writeStatus(device: number, address: number, width: number, value: number, client: number, seq: number): number {
    const sim = this.devices[device];
    return sim ? sim.write(address, width, value, { client, seq }).status : Status.BAD_DEVICE;
  }

  async close(): Promise<void> {
    if (this.realtime) clearInterval(this.realtime);
    for (const u of this.unsubscribe) u();
    const links = [...this.links];
    for (const link of links) link.close();
    await Promise.all(links.map((l) => l.transport.close()));
  }
}
