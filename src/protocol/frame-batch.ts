import { crc32 } from './crc32.ts';
import { CRC_SIZE, HEADER_SIZE, PROTOCOL_VERSION, putUint } from './frame.ts';
import { SLIP_END, SLIP_ESC, slipEncodeInto } from './slip.ts';

/**
 * Frames waiting to be written, encoded straight into one growing buffer: each is END, the escaped
 * header, payload and CRC, END — byte for byte what `slipEncode(encodeFrame(…))` gives. `take()`
 * hands out the batch as one write. On a pipelined link this replaces, per frame, a frame array,
 * an escaped copy and a concatenation (three short-lived allocations, most of the GC time).
 */
export class FrameBatch {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** A frame that needs escaping, copied out before it is escaped into place (grows for large payloads). */
  private scratch = new Uint8Array(64);

  get size(): number {
    return this.length;
  }

  /**
   * Appends a frame from its fields (the frame's CRC is computed here). The frame is written
   * straight after its END, where it would land unescaped; only when one of its bytes needs an
   * escape (END or ESC in a seq, address, value or CRC: rare) is it escaped from a copy.
   */
  add(seq: number, flags: number, device: number, op: number, width: number, count: number, address: number, payload?: Uint8Array): void {
    const payloadLength = payload?.length ?? 0;
    const total = HEADER_SIZE + payloadLength + CRC_SIZE;
    this.reserve(total * 2 + 2);
    const f = this.buffer;
    const at = this.length + 1;
    f[at - 1] = SLIP_END;
    f[at] = PROTOCOL_VERSION;
    f[at + 1] = flags;
    f[at + 2] = seq & 0xff;
    f[at + 3] = (seq >>> 8) & 0xff;
    f[at + 4] = device;
    f[at + 5] = op;
    f[at + 6] = width;
    f[at + 7] = count & 0xff;
    f[at + 8] = (count >>> 8) & 0xff;
    putUint(f, at + 9, address, 4);
    if (payload) f.set(payload, at + HEADER_SIZE);
    putUint(f, at + HEADER_SIZE + payloadLength, crc32(f, at, at + HEADER_SIZE + payloadLength), 4);
    const end = at + total;
    for (let i = at; i < end; i++) {
      const b = f[i]!;
      if (b === SLIP_END || b === SLIP_ESC) {
        if (this.scratch.length < total) this.scratch = new Uint8Array(total * 2);
        this.scratch.set(f.subarray(at, end));
        this.length = slipEncodeInto(this.scratch, 0, total, f, this.length);
        return;
      }
    }
    f[end] = SLIP_END;
    this.length = end + 1;
  }

  /**
   * Appends a frame that is already encoded (its CRC included): it is only SLIP-escaped here. It is
   * copied as it is and checked; only a frame with an END or ESC byte (rare) is escaped byte by byte.
   */
  addFrame(frame: Uint8Array, start = 0, end = frame.length): void {
    this.reserve((end - start) * 2 + 2);
    const f = this.buffer;
    let j = this.length;
    f[j++] = SLIP_END;
    for (let i = start; i < end; i++) {
      const b = frame[i]!;
      if (b === SLIP_END || b === SLIP_ESC) {
        this.length = slipEncodeInto(frame, start, end, f, this.length);
        return;
      }
      f[j++] = b;
    }
    f[j++] = SLIP_END;
    this.length = j;
  }

  /** Appends bytes as they are (already SLIP-framed). */
  addWire(wire: Uint8Array): void {
    this.reserve(wire.length);
    this.buffer.set(wire, this.length);
    this.length += wire.length;
  }

  /** The batch's bytes (a copy: a transport may keep them until the write completes); empties the batch. */
  take(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}
