/**
 * Regression (issue 18 §13): when a pipelined client's re-synchronising HELLO went unanswered (ten
 * clients flooding garbage kept the simulator busy), its Client shut down for good and rejected
 * every later request. An unanswered HELLO now marks the link lost: the requests of that moment
 * fail with a LinkError, and the next request re-synchronises and is served once the device answers.
 */
import { describe, expect, it } from 'vitest';
import { SimServer } from '../../../firmware-sim/server.ts';
import { connect, inProcessPair, LinkError, type ByteTransport } from '../../../src/protocol/index.ts';
import { demoSim, GPIOA } from '../../unit/protocol/helpers.ts';

/** The host's end of a link whose device side can be made deaf (every byte from the host dropped). */
function deafenable(): { host: ByteTransport; device: ByteTransport; deaf: { on: boolean } } {
  const [host, device] = inProcessPair();
  const deaf = { on: false };
  const filtered: ByteTransport = {
    ...host,
    description: host.description,
    write: (bytes) => (deaf.on ? undefined : host.write(bytes)),
    onData: (l) => host.onData(l),
    onClose: (l) => host.onClose(l),
    close: () => host.close(),
  };
  return { host: filtered, device, deaf };
}

describe('regression: a client recovers after its resync HELLO went unanswered', () => {
  it('requests fail while the device is deaf, and succeed again once it answers', async () => {
    const server = new SimServer([demoSim('rev-b')]);
    const { host, device, deaf } = deafenable();
    server.attach(device);
    const client = await connect(host, { heartbeatMs: 0, timeoutMs: 20, retries: 1, helloRetries: 2, window: 8 });
    await client.write(GPIOA + 8, 0x11, { width: 4 });

    deaf.on = true;
    // A pipelined batch: the first request gives up, the rest behind it fail, the resync HELLO fails too.
    const batch = await Promise.allSettled(Array.from({ length: 8 }, () => client.read(GPIOA + 8)));
    expect(batch.every((r) => r.status === 'rejected' && r.reason instanceof LinkError)).toBe(true);
    // While still deaf, a request tries HELLO again and fails with a LinkError, not a dead client.
    await expect(client.read(GPIOA + 8)).rejects.toBeInstanceOf(LinkError);

    deaf.on = false;
    expect(await client.read(GPIOA + 8)).toBe(0x11);
    await client.write(GPIOA + 8, 0x22, { width: 4 });
    expect(await client.read(GPIOA + 8)).toBe(0x22);
    await client.close();
    await server.close();
  });
});
