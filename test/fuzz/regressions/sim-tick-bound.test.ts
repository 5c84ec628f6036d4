/**
 * Regression (found by test/fuzz/protocol.test.ts): one TICK request with a large tick count
 * (payload u32 0xFFFFFFFF, clamped to the default `maxTicksPerRequest` of 100 000 000) keeps the
 * simulator busy for ~9 s on the demo board, whose timer has per-tick behaviours. The server runs
 * requests synchronously, so every client on every link stalls, and the host's request time-out
 * (200 ms × 5 retries) expires first: a single frame from any peer takes the device off the link.
 * The bound below is a hang guard in CPU time (what a client will wait), not a speed target.
 * WAIT with a huge timeout has the same cost.
 */
import { describe, expect, it } from 'vitest';
import { SimServer } from '../../../firmware-sim/server.ts';
import { Op, PROTOCOL_VERSION, Status, type Frame } from '../../../src/protocol/index.ts';
import { demoSim, TIM0 } from '../../unit/protocol/helpers.ts';
import { expectWithinHangGuard, withCpuTime } from '../../cpu-time.ts';

// About 0.3 s (TICK) and 0.55 s (WAIT) of CPU today: 6 s is a 10× hang guard that still catches the
// original 9 s stall.
const HANG_GUARD_MS = 6000;

function frame(op: number, payload: number[], width = 4, address = 0): Frame {
  return { version: PROTOCOL_VERSION, flags: 0, seq: 1, device: 0, op, width, count: 1, address, payload: Uint8Array.from(payload) };
}

describe('regression: simulator requests are bounded in time', () => {
  it('TICK 0xFFFFFFFF answers within the hang guard', () => {
    const server = new SimServer([demoSim('rev-b')]);
    const { value: response, cpuMs } = withCpuTime(() => server.execute(frame(Op.TICK, [0xff, 0xff, 0xff, 0xff]), { client: 1, seq: 1 }));
    expect(response[0]).toBe(Status.OK);
    expectWithinHangGuard(cpuMs, HANG_GUARD_MS, 'TICK 0xFFFFFFFF');
  });

  it('WAIT for a value that never comes, with the largest timeout, answers within the hang guard', () => {
    const server = new SimServer([demoSim('rev-b')]);
    // value, mask, timeout: wait for bit 31 of a timer register, which never sets.
    const payload = [0, 0, 0, 0x80, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff];
    const { value: response, cpuMs } = withCpuTime(() => server.execute(frame(Op.WAIT, payload, 4, TIM0), { client: 1, seq: 1 }));
    expect(response[0]).toBe(Status.TIMEOUT);
    expectWithinHangGuard(cpuMs, HANG_GUARD_MS, 'WAIT with the largest timeout');
  });
});
