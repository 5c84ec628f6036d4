import { describe, expect, it } from 'vitest';
import { SimServer } from '../../firmware-sim/server.ts';
import { openPty } from '../../firmware-sim/transports/pty.ts';
import { connect, openSerial } from '../../src/protocol/index.ts';
import { demoSim } from '../unit/protocol/helpers.ts';
import { soak } from '../unit/protocol/soak.ts';

describe('soak over a real pty with 1 % corruption and 1 % drop', () => {
  it('ends with every transaction correct or reported, none wrong', async () => {
    const server = new SimServer([demoSim('rev-b')], { faults: { seed: 11, corrupt: 0.01, drop: 0.01 } });
    const pty = await openPty();
    const link = server.attach(pty.transport);
    try {
      const client = await connect(await openSerial(pty.path), { timeoutMs: 50, retries: 8, heartbeatMs: 0 });
      const result = await soak(client, 10_000, 5, 256);
      expect(result.wrong).toBe(0);
      expect(result.correct + result.errors + result.relearned).toBe(10_000);
      expect(link.faults.inbound.dropped + link.faults.outbound.dropped + link.faults.inbound.corrupted + link.faults.outbound.corrupted).toBeGreaterThan(100);
      await client.close();
    } finally {
      await server.close();
      await pty.close();
    }
  });
});
