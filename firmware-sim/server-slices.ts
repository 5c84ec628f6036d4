import { getUint, Op, PROTOCOL_VERSION, putUint, Status, type Frame } from '../src/protocol/frame.ts';
import type { Simulator } from './simulator.ts';

/**
 * A TICK or WAIT longer than this runs in slices of this many ticks, one per event-loop turn, so
 * the other links' requests are served between them; its own link's later requests wait for it.
 */
export const TICK_SLICE = 10_000;

/**
 * For a valid TICK or WAIT longer than TICK_SLICE ticks: the slice requests to execute one by one
 * (each answer is fed back), returning the whole request's response. Undefined: execute it at once.
 */
export function requestSlices(devices: readonly Simulator[], frame: Frame): Generator<Frame, Uint8Array, Uint8Array> | undefined {
  const sim = devices[frame.device];
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
