import { crc32 } from './crc32.ts';
import { CRC_SIZE, HEADER_SIZE, PROTOCOL_VERSION, putUint } from './frame.ts';
import { SLIP_END, SLIP_ESC, slipEncodeInto } from './slip.ts';

/**
 * Whether any byte of the 32-bit word `w` is END or ESC: four bytes at once, no loop (a byte of
 * `w ^ END·4` or `w ^ ESC·4` is zero, by the exact has-a-zero-byte test).
 */
export function wordNeedsEscape(w: number): boolean {
  const e = w ^ 0xc0c0c0c0;
  const s = w ^ 0xdbdbdbdb;
  return ((((e - 0x01010101) & ~e) | ((s - 0x01010101) & ~s)) & 0x80808080) !== 0;
}

/**
 * Frames waiting to be written, encoded straight into one growing buffer: each is END, the escaped
 * header, payload and CRC, END — byte for byte what `slipEncode(encodeFrame(…))` gives. `take()`
 * hands out the batch as one write. On a pipelined link this replaces, per frame, a frame array,
 * an escaped copy and a concatenation (three short-lived allocations, most of the GC time).
 *
 * A frame is written straight after its END, where it lands when nothing in it needs escaping; that
 * is checked on the fields as 32-bit words (`wordNeedsEscape`), not byte by byte. Only a frame with
 * END or ESC in a seq, address, value or CRC (a few in a hundred) is escaped from a copy.
 */
export class FrameBatch {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** A frame that needs escaping, copied out before it is escaped into place (grows for large payloads). */
  private scratch = new Uint8Array(64);

  get size(): number {
    return this.length;
  }

  /** Appends a frame from its fields (the frame's CRC is computed here). */
  add(seq: number, flags: number, device: number, op: number, width: number, count: number, address: number, payload?: Uint8Array): void {
    const payloadLength = payload?.length ?? 0;
    const at = this.open(HEADER_SIZE + payloadLength + CRC_SIZE);
    let clean = this.header(at, seq, flags, device, op, width, count, address);
    if (payload) {
      const f = this.buffer;
      f.set(payload, at + HEADER_SIZE);
      for (let i = 0; i < payloadLength; i++) {
        const b = payload[i]!;
        if (b === SLIP_END || b === SLIP_ESC) clean = false;
      }
    }
    this.close(at, HEADER_SIZE + payloadLength, clean);
  }

  /**
   * Appends an answer from its fields: the header, then a payload of the status byte and
   * `valueLength` (0, 1, 2 or 4) bytes of `value`, little-endian — what a READ is answered with —
   * without the payload as an array.
   */
  addAnswer(seq: number, flags: number, device: number, op: number, width: number, count: number, address: number, status: number, value: number, valueLength: number): void {
    const at = this.open(HEADER_SIZE + 1 + valueLength + CRC_SIZE);
    const clean = this.header(at, seq, flags, device, op, width, count, address);
    const f = this.buffer;
    f[at + HEADER_SIZE] = status;
    putUint(f, at + HEADER_SIZE + 1, value, valueLength);
    const v = valueLength >= 4 ? value : value & ((1 << (8 * valueLength)) - 1);
    this.close(at, HEADER_SIZE + 1 + valueLength, clean && !wordNeedsEscape((status & 0xff) | (v << 8)) && !wordNeedsEscape(v >>> 24));
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

  /**
   * Writes the batch with `write` and empties it, without a copy: `write` gets a view of the
   * batch's buffer, which is used again when `released()` says, after the write, that the writer
   * kept nothing of it (a socket that wrote it all at once); otherwise it is left to the writer
   * and the batch goes on in a new buffer. A copy of a few KiB per write cost as much as a tenth
   * of the frames in it.
   */
  writeTo(write: (bytes: Uint8Array) => void, released: () => boolean): void {
    const bytes = this.buffer.subarray(0, this.length);
    this.length = 0;
    write(bytes);
    if (!released()) this.buffer = new Uint8Array(Math.min(this.buffer.length, 4096));
  }

  /** The batch's bytes (a copy: a transport may keep them until the write completes); empties the batch. */
  take(): Uint8Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }

  /** Room for a frame of `total` bytes escaped, its opening END written: where the frame goes. */
  private open(total: number): number {
    this.reserve(total * 2 + 2);
    this.buffer[this.length] = SLIP_END;
    return this.length + 1;
  }

  /** Writes the 13-byte header at `at`; whether none of its bytes needs escaping. */
  private header(at: number, seq: number, flags: number, device: number, op: number, width: number, count: number, address: number): boolean {
    const f = this.buffer;
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
    return (
      !wordNeedsEscape(PROTOCOL_VERSION | ((flags & 0xff) << 8) | ((seq & 0xffff) << 16)) &&
      !wordNeedsEscape((device & 0xff) | ((op & 0xff) << 8) | ((width & 0xff) << 16) | ((count & 0xff) << 24)) &&
      !wordNeedsEscape(address) &&
      !wordNeedsEscape((count >>> 8) & 0xff)
    );
  }

  /** Appends the CRC of the `bodyLength` bytes at `at` and the closing END, escaping the frame unless `clean` and its CRC are. */
  private close(at: number, bodyLength: number, clean: boolean): void {
    const f = this.buffer;
    const crc = crc32(f, at, at + bodyLength);
    putUint(f, at + bodyLength, crc, CRC_SIZE);
    const end = at + bodyLength + CRC_SIZE;
    if (clean && !wordNeedsEscape(crc)) {
      f[end] = SLIP_END;
      this.length = end + 1;
      return;
    }
    const total = end - at;
    if (this.scratch.length < total) this.scratch = new Uint8Array(total * 2);
    this.scratch.set(f.subarray(at, end));
    this.length = slipEncodeInto(this.scratch, 0, total, f, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}
