import {
  concatBytes,
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
import type { Simulator } from './simulator.ts';

/** A fresh BAD_REQUEST answer, made only when a request is refused (not on every request). */
function badRequest(): Uint8Array {
  return Uint8Array.of(Status.BAD_REQUEST);
}

/**
 * One request of the wire protocol (docs/protocol.md §3) checked and run on the device its frame
 * names; the response payload, status byte first. Malformed requests answer BAD_REQUEST and change
 * nothing.
 */
export function executeRequest(devices: readonly Simulator[], frame: Frame, origin: { client: number; seq: number }): Uint8Array {
  if (frame.version !== PROTOCOL_VERSION) return badRequest();
  const sim = devices[frame.device];
  if (!sim) return Uint8Array.of(Status.BAD_DEVICE);
  const { op, width, count, address, payload } = frame;
  const widthOk = width === 1 || width === 2 || width === 4;
  // protocol.md: in a request only FIXED may be set, and only on a burst; other bits are reserved (0).
  const burst = op === Op.READ_BURST || op === Op.WRITE_BURST;
  if ((frame.flags & ~Flag.FIXED) !== 0 || ((frame.flags & Flag.FIXED) !== 0 && !burst)) return badRequest();
  // Single accesses carry count 1 (0, what a zeroed header says, is taken as 1); a burst's
  // count × width fits the largest payload.
  const single = op === Op.READ || op === Op.WRITE || op === Op.MODIFY || op === Op.WAIT;
  if ((single && count > 1) || (burst && (count === 0 || count * width > MAX_PAYLOAD))) return badRequest();
  switch (op) {
    case Op.HELLO: {
      const board = sim.device.board ?? sim.device.name;
      const info = encodeHelloInfo({
        protocolVersion: PROTOCOL_VERSION,
        deviceCount: devices.length,
        maxPayload: MAX_PAYLOAD,
        board,
        revision: sim.device.revision ?? sim.device.version ?? '',
        specHash: sim.specHash,
      });
      return concatBytes([Uint8Array.of(Status.OK), info]);
    }
    case Op.READ: {
      if (!widthOk || payload.length !== 0) return badRequest();
      const r = sim.read(address, width, origin);
      if (r.status !== Status.OK) return Uint8Array.of(r.status);
      const out = new Uint8Array(1 + width);
      putUint(out, 1, r.value, width);
      return out;
    }
    case Op.WRITE: {
      if (!widthOk || payload.length !== width) return badRequest();
      return Uint8Array.of(sim.write(address, width, getUint(payload, 0, width), origin).status);
    }
    case Op.MODIFY: {
      if (!widthOk || payload.length !== width * 2) return badRequest();
      const r = sim.modify(address, width, getUint(payload, 0, width), getUint(payload, width, width), origin);
      if (r.status !== Status.OK) return Uint8Array.of(r.status);
      const out = new Uint8Array(1 + 2 * width);
      putUint(out, 1, r.old, width);
      putUint(out, 1 + width, r.value, width);
      return out;
    }
    case Op.READ_BURST: {
      if (!widthOk || count === 0 || count * width > MAX_PAYLOAD || payload.length !== 0) return badRequest();
      const r = sim.readBurst(address, width, count, (frame.flags & Flag.FIXED) !== 0, origin);
      const out = new Uint8Array(1 + r.values.length * width);
      out[0] = r.status;
      r.values.forEach((v, i) => putUint(out, 1 + i * width, v, width));
      return out;
    }
    case Op.WRITE_BURST: {
      if (!widthOk || count === 0 || payload.length !== count * width) return badRequest();
      const values = Array.from({ length: count }, (_, i) => getUint(payload, i * width, width));
      const r = sim.writeBurst(address, width, values, (frame.flags & Flag.FIXED) !== 0, origin);
      const out = new Uint8Array(3);
      out[0] = r.status;
      putUint(out, 1, r.done, 2);
      return out;
    }
    case Op.WAIT: {
      if (!widthOk || payload.length !== width * 2 + 4) return badRequest();
      const r = sim.wait(address, width, getUint(payload, 0, width), getUint(payload, width, width), getUint(payload, width * 2, 4), origin);
      if (r.status !== Status.OK && r.status !== Status.TIMEOUT) return Uint8Array.of(r.status);
      const out = new Uint8Array(1 + width + 4);
      out[0] = r.status;
      putUint(out, 1, r.value, width);
      putUint(out, 1 + width, r.elapsed, 4);
      return out;
    }
    case Op.TICK: {
      if (payload.length !== 4) return badRequest();
      const r = sim.tick(getUint(payload, 0, 4), origin);
      const out = new Uint8Array(9);
      putU64(out, 1, r.now);
      return out;
    }
    case Op.RESET: {
      if (payload.length !== 1 || (payload[0] !== ResetKind.POWER_ON && payload[0] !== ResetKind.SOFT)) return badRequest();
      return Uint8Array.of(sim.reset(payload[0] === ResetKind.SOFT ? 'soft' : 'power-on', origin).status);
    }
    case Op.INJECT: {
      const name = readLengthPrefixed(payload, 0);
      // `count` is the number of bytes injected (protocol.md §3).
      if (!name || payload.length - name.next !== count) return badRequest();
      const r = sim.inject(name.text, payload.subarray(name.next), origin);
      const out = new Uint8Array(3);
      out[0] = r.status;
      putUint(out, 1, r.accepted, 2);
      return out;
    }
    default:
      return badRequest();
  }
}
