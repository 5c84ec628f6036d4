import type { ClientStats } from './client-options.ts';
import { decodeEventPayload, decodeFrame, Flag, frameIntact, MAX_PAYLOAD, type DeviceEvent } from './frame.ts';
import { SlipDecoder } from './slip.ts';

/**
 * The client's receiving pass: SLIP-decodes the incoming bytes, drops frames whose CRC fails
 * (their seq cannot be trusted; the request's time-out retransmits it), hands responses on in
 * place — a range of the received chunk, nothing copied — and turns EVENT frames into events,
 * counting gaps in each device's event sequence.
 */
export class ResponseReader {
  private readonly decoder = new SlipDecoder(MAX_PAYLOAD * 2 + 64);
  private readonly lastEventSeq = new Map<number, number>();

  constructor(
    private readonly stats: ClientStats,
    /** A response in `bytes[start, end)` (CRC verified); valid only during the call. */
    private readonly onResponse: (bytes: Uint8Array, start: number, end: number) => void,
    private readonly onEvent: (event: DeviceEvent) => void,
  ) {}

  receive(bytes: Uint8Array): void {
    this.decoder.scan(bytes, this.frame, this.bad);
  }

  private readonly bad = (): void => {
    this.stats.badFrames++;
  };

  private readonly frame = (bytes: Uint8Array, start: number, end: number): void => {
    if (!frameIntact(bytes, start, end)) {
      this.stats.badFrames++;
      return;
    }
    const flags = bytes[start + 1]!;
    if (!(flags & Flag.RESPONSE)) this.stats.badFrames++;
    else if (flags & Flag.ASYNC) this.event(bytes, start, end);
    else this.onResponse(bytes, start, end);
  };

  private event(bytes: Uint8Array, start: number, end: number): void {
    const decoded = decodeFrame(bytes, start, end);
    const event = decoded.ok ? decodeEventPayload(decoded.frame) : undefined;
    if (!decoded.ok || !event) {
      this.stats.badFrames++;
      return;
    }
    const { device, seq } = decoded.frame;
    const last = this.lastEventSeq.get(device);
    if (last !== undefined && seq !== ((last + 1) & 0xffff)) {
      if (((seq - last) & 0xffff) > 0x8000 || seq === last) return; // a duplicate or stale event
      this.stats.eventGaps++;
    }
    this.lastEventSeq.set(device, seq);
    this.onEvent(event);
  }
}
