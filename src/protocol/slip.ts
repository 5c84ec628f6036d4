import { copyBytes } from './frame.ts';

/**
 * SLIP framing (RFC 1055). A frame is its escaped bytes followed by END; we also send END before
 * each frame (the RFC's recommendation) so line noise before a frame is flushed as an empty or bad
 * frame instead of corrupting the next one.
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

/** Encodes one frame: END, escaped body, END. */
export function slipEncode(body: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of body) if (b === SLIP_END || b === SLIP_ESC) extra++;
  const out = new Uint8Array(body.length + extra + 2);
  slipEncodeInto(body, 0, body.length, out, 0);
  return out;
}

/**
 * Writes END, the escaped bytes `body[start, end)`, END into `out` from `at` (room for
 * 2·(end − start) + 2 bytes is the caller's); returns the index after the closing END. The one SLIP
 * encoder: slipEncode sizes a fresh buffer for it, FrameBatch appends to its write buffer.
 */
export function slipEncodeInto(body: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let j = at;
  out[j++] = SLIP_END;
  for (let i = start; i < end; i++) {
    const b = body[i]!;
    if (b === SLIP_END) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_ESC;
    } else out[j++] = b;
  }
  out[j++] = SLIP_END;
  return j;
}

/** What the streaming decoder hands out: a decoded frame body, or the reason a frame was discarded. */
export type SlipEvent = { readonly kind: 'frame'; readonly body: Uint8Array } | { readonly kind: 'bad-escape' | 'too-long'; readonly length: number };

/** Receives one decoded frame body as `bytes[start, end)`; valid only during the call (not retained). */
export type SlipFrameSink = (bytes: Uint8Array, start: number, end: number) => void;

/**
 * Streaming decoder: feed arbitrary chunks, get whole frames. Empty frames (END END) are skipped
 * silently; a bad escape (ESC followed by anything but ESC_END/ESC_ESC) or an over-long frame is
 * reported and the decoder resynchronises at the next END.
 */
export class SlipDecoder {
  private buffer: Uint8Array;
  private length = 0;
  private escaped = false;
  private broken: 'bad-escape' | 'too-long' | undefined;

  constructor(private readonly maxFrame = 65_536) {
    this.buffer = new Uint8Array(Math.min(maxFrame, 4096));
  }

  /** Decodes into events that own a copy of each frame body. */
  push(chunk: Uint8Array, emit: (event: SlipEvent) => void): void {
    this.scan(
      chunk,
      (bytes, start, end) => emit({ kind: 'frame', body: copyBytes(bytes, start, end) }),
      (kind, length) => emit({ kind, length }),
    );
  }

  /**
   * Decodes without copying: a frame that lies whole inside `chunk` with nothing escaped (nearly
   * every frame of a pipelined link) is handed out as a range of `chunk` itself; only a frame split
   * across chunks or holding escapes goes through the decoder's buffer.
   */
  scan(chunk: Uint8Array, onFrame: SlipFrameSink, onBad: (kind: 'bad-escape' | 'too-long', length: number) => void): void {
    const n = chunk.length;
    let i = 0;
    // Where the next ESC is (n: none left), found by indexOf once per ESC: the loop over a frame's
    // bytes then looks for END only (one compare a byte instead of two, a quarter less time).
    let nextEscape = -1;
    while (i < n) {
      if (this.length === 0 && !this.escaped && this.broken === undefined) {
        if (nextEscape < i) {
          nextEscape = chunk.indexOf(SLIP_ESC, i);
          if (nextEscape < 0) nextEscape = n;
        }
        let j = i;
        while (j < n && chunk[j] !== SLIP_END) j++;
        if (j < n && nextEscape > j) {
          if (j - i > this.maxFrame) onBad('too-long', this.maxFrame);
          else if (j > i) onFrame(chunk, i, j);
          i = j + 1;
          continue;
        }
      }
      i = this.slow(chunk, i, onFrame, onBad);
    }
  }

  /** Byte by byte through the buffer, up to and including the next END; returns where it stopped. */
  private slow(chunk: Uint8Array, from: number, onFrame: SlipFrameSink, onBad: (kind: 'bad-escape' | 'too-long', length: number) => void): number {
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === SLIP_END) {
        const length = this.length;
        const broken = this.broken;
        this.length = 0;
        this.escaped = false;
        this.broken = undefined;
        if (broken) onBad(broken, length);
        else if (length > 0) onFrame(this.buffer, 0, length);
        return i + 1;
      }
      if (this.broken) continue;
      let value = b;
      if (this.escaped) {
        this.escaped = false;
        if (b === SLIP_ESC_END) value = SLIP_END;
        else if (b === SLIP_ESC_ESC) value = SLIP_ESC;
        else {
          this.broken = 'bad-escape';
          continue;
        }
      } else if (b === SLIP_ESC) {
        this.escaped = true;
        continue;
      }
      if (this.length >= this.maxFrame) {
        this.broken = 'too-long';
        continue;
      }
      if (this.length === this.buffer.length) {
        const bigger = new Uint8Array(Math.min(this.maxFrame, this.buffer.length * 2));
        bigger.set(this.buffer);
        this.buffer = bigger;
      }
      this.buffer[this.length++] = value;
    }
    return chunk.length;
  }
}
