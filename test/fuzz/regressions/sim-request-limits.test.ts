/**
 * Regression (issue 18 §12): the simulator answered OK to requests protocol.md refuses. WRITE_BURST
 * with 4 100 or 8 000 payload bytes (over MAX_PAYLOAD 4096), READ with a count over 1, INJECT
 * whose count is not its byte count, and reserved flag bits all get BAD_REQUEST now; the requests
 * at the limits still succeed.
 */
import { describe, expect, it } from 'vitest';
import { SimServer } from '../../../firmware-sim/server.ts';
import { Flag, MAX_PAYLOAD, Op, PROTOCOL_VERSION, Status, type Frame } from '../../../src/protocol/index.ts';
import { demoSim, GPIOA, UART0 } from '../../unit/protocol/helpers.ts';

function frame(fields: Partial<Frame> & { op: number }): Frame {
  return { version: PROTOCOL_VERSION, flags: 0, seq: 1, device: 0, width: 4, count: 1, address: GPIOA, payload: new Uint8Array(0), ...fields };
}

const status = (server: SimServer, f: Frame): number => server.execute(f, { client: 1, seq: f.seq })[0]!;
/** `name` as protocol.md's length-prefixed string, then `data`. */
const inject = (name: string, data: number[]): Uint8Array => Uint8Array.from([name.length, ...Buffer.from(name), ...data]);

describe('regression: request limits of protocol.md', () => {
  const server = new SimServer([demoSim('rev-b')]);

  it('WRITE_BURST over MAX_PAYLOAD is BAD_REQUEST; exactly MAX_PAYLOAD is not', () => {
    for (const bytes of [4100, 8000])
      expect(status(server, frame({ op: Op.WRITE_BURST, width: 4, count: bytes / 4, payload: new Uint8Array(bytes), flags: Flag.FIXED }))).toBe(
        Status.BAD_REQUEST,
      );
    expect(status(server, frame({ op: Op.WRITE_BURST, width: 4, count: MAX_PAYLOAD / 4, payload: new Uint8Array(MAX_PAYLOAD), flags: Flag.FIXED }))).not.toBe(
      Status.BAD_REQUEST,
    );
  });

  it('single accesses need count 1 (or 0, a zeroed header)', () => {
    for (const count of [2, 1000, 65535]) {
      expect(status(server, frame({ op: Op.READ, count }))).toBe(Status.BAD_REQUEST);
      expect(status(server, frame({ op: Op.WRITE, count, payload: new Uint8Array(4) }))).toBe(Status.BAD_REQUEST);
    }
    expect(status(server, frame({ op: Op.READ, count: 1 }))).toBe(Status.OK);
    expect(status(server, frame({ op: Op.READ, count: 0 }))).toBe(Status.OK);
  });

  it('INJECT count must be the number of bytes injected', () => {
    expect(status(server, frame({ op: Op.INJECT, width: 1, address: 0, count: 5000, payload: inject('UART0.rx', [0x41, 0x42]) }))).toBe(Status.BAD_REQUEST);
    expect(status(server, frame({ op: Op.INJECT, width: 1, address: 0, count: 2, payload: inject('UART0.rx', [0x41, 0x42]) }))).not.toBe(Status.BAD_REQUEST);
  });

  it('reserved flag bits, and FIXED outside a burst, are BAD_REQUEST', () => {
    for (const flags of [Flag.ASYNC, Flag.ERROR, 0x10, 0x80]) expect(status(server, frame({ op: Op.READ, flags }))).toBe(Status.BAD_REQUEST);
    expect(status(server, frame({ op: Op.READ, flags: Flag.FIXED }))).toBe(Status.BAD_REQUEST);
    expect(status(server, frame({ op: Op.READ_BURST, address: UART0, count: 2, flags: Flag.FIXED }))).not.toBe(Status.BAD_REQUEST);
  });
});
