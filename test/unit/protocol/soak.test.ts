import { describe, expect, it } from 'vitest';
import { demoSim, inProcess } from './helpers.ts';
import { soak } from './soak.ts';

describe('soak: 100 000 transactions over a link with 1 % corruption and 1 % drop', () => {
  it('ends with every transaction correct or reported, none wrong', async () => {
    const { client, link, close } = await inProcess(
      [demoSim('rev-b')],
      { faults: { seed: 7, corrupt: 0.01, drop: 0.01 } },
      { timeoutMs: 25, retries: 8, window: 64 },
    );
    const result = await soak(client, 100_000, 42);
    expect(result.wrong).toBe(0);
    expect(result.correct + result.errors + result.relearned).toBe(100_000);
    // The faults really happened, in both directions, and were recovered by retransmission.
    const faults = link.faults;
    expect(faults.inbound.dropped + faults.outbound.dropped).toBeGreaterThan(500);
    expect(faults.inbound.corrupted + faults.outbound.corrupted).toBeGreaterThan(500);
    expect(client.stats.retransmits).toBeGreaterThan(1000);
    expect(link.stats.duplicates).toBeGreaterThan(0);
    expect(result.correct).toBeGreaterThan(99_000);
    await close();
  });

  it('also holds with duplicated and delayed (reordered) frames', async () => {
    const { client, link, close } = await inProcess(
      [demoSim('rev-b')],
      { faults: { seed: 3, corrupt: 0.01, drop: 0.01, duplicate: 0.02, delay: 0.02, delayMs: 3 } },
      { timeoutMs: 25, retries: 8, window: 64 },
    );
    const result = await soak(client, 20_000, 9);
    expect(result.wrong).toBe(0);
    expect(result.correct + result.errors + result.relearned).toBe(20_000);
    expect(link.stats.reordered).toBeGreaterThan(0);
    expect(client.stats.duplicates).toBeGreaterThan(0);
    await close();
  });
});
