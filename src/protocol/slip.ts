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
  let j = 0;
  out[j++] = SLIP_END;
  for (const b of body) {
    if (b === SLIP_END) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_ESC;
    } else out[j++] = b;
  }
  out[j++] = SLIP_END;
  return out;
}

/** What the streaming decoder hands out: a decoded frame body, or the reason a frame was discarded. */
export type SlipEvent = { readonly kind: 'frame'; readonly body: Uint8Array } | { readonly kind: 'bad-escape' | 'too-long'; readonly length: number };

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

  push(chunk: Uint8Array, emit: (event: SlipEvent) => void): void {
    for (const b of chunk) {
      if (b === SLIP_END) {
        if (this.broken) emit({ kind: this.broken, length: this.length });
        else if (this.length > 0) emit({ kind: 'frame', body: this.buffer.slice(0, this.length) });
        this.length = 0;
        this.escaped = false;
        this.broken = undefined;
        continue;
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
  }
}
