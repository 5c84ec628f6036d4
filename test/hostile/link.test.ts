/**
 * Link robustness against a real simulator process (`specdrive sim --socket`): peer death (SIGKILL:
 * pending and new requests must fail with a LinkError quickly, never hang), reconnect to a restarted
 * simulator, concurrent clients on one device, and fault injection (drops, corruption, duplicates):
 * every value read back is the value written — an error is acceptable, a wrong value is not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, connectUnix, LinkError, type Client } from '../../src/protocol/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEC = join(ROOT, 'hardware-specs/demo-board/rev-b.yaml');
const GPIOA_ODR = 0x4000_2008;
const dir = mkdtempSync(join(tmpdir(), 'specdrive-link-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `specdrive sim` on a Unix socket; resolves once it prints where it listens. */
function startSim(socket: string, extra: string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/specdrive.js'), 'sim', SPEC, '--socket', socket, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`sim did not start: ${out}${err}`)), 20_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('listening:')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => {
      children.delete(child);
      clearTimeout(timer);
      if (!out.includes('listening:')) reject(new Error(`sim exited ${code}: ${err}`));
    });
  });
}

async function client(socket: string, timeoutMs = 200): Promise<Client> {
  return connect(await connectUnix(socket), { heartbeatMs: 0, timeoutMs, retries: 5 });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('link: peer death and reconnect', () => {
  it('a killed simulator turns pending and later requests into LinkErrors, quickly', async () => {
    const socket = join(dir, 'death.sock');
    const sim = await startSim(socket);
    const c = await client(socket);
    await c.write(GPIOA_ODR, 0x1234, { width: 4 });
    expect(await c.read(GPIOA_ODR)).toBe(0x1234);
    // Settle each request as it ends, so a rejection during the kill is observed, not left unhandled.
    const settle = (p: Promise<number>) =>
      p.then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    const pending = Array.from({ length: 8 }, () => settle(c.read(GPIOA_ODR)));
    await killAndWait(sim);
    // Every request settles (vitest's time-out is the hang guard; how fast belongs to the bench).
    const settled = await Promise.all([...pending, settle(c.read(GPIOA_ODR))]);
    for (const s of settled) {
      // A request answered before the kill is fine; one that was not must fail as a LinkError.
      if (s.status === 'fulfilled') expect(s.value).toBe(0x1234);
      else expect(s.reason).toBeInstanceOf(LinkError);
    }
    expect(settled.at(-1)!.status).toBe('rejected');
    await c.close();
  });

  it('a client reconnects to a restarted simulator and sees the fresh device', async () => {
    const socket = join(dir, 'restart.sock');
    let sim = await startSim(socket);
    let c = await client(socket);
    await c.write(GPIOA_ODR, 0xbeef);
    await killAndWait(sim);
    await c.read(GPIOA_ODR).then(
      () => expect.unreachable('read from a dead peer'),
      (e: unknown) => expect(e).toBeInstanceOf(LinkError),
    );
    await c.close();
    rmSync(socket, { force: true });
    sim = await startSim(socket);
    c = await client(socket);
    // A new process: reset values, not the old 0xbeef.
    expect(await c.read(GPIOA_ODR)).toBe(0);
    await c.write(GPIOA_ODR, 0x55aa);
    expect(await c.read(GPIOA_ODR)).toBe(0x55aa);
    await c.close();
    await killAndWait(sim);
  });
});

describe('link: concurrent clients and injected faults', () => {
  it('four clients modifying their own bits of one register never see another client’s value', async () => {
    const socket = join(dir, 'concurrent.sock');
    const sim = await startSim(socket);
    const clients = await Promise.all([0, 1, 2, 3].map(() => client(socket)));
    const wrong: string[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        const mask = 0xf << (4 * i);
        for (let k = 0; k < 40; k++) {
          const nibble = (k * 7 + i) & 0xf;
          await c.modify(GPIOA_ODR, nibble << (4 * i), mask, { width: 4 });
          const seen = ((await c.read(GPIOA_ODR)) & mask) >>> (4 * i);
          if (seen !== nibble) wrong.push(`client ${i} wrote ${nibble}, read ${seen}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
    await Promise.all(clients.map((c) => c.close()));
    await killAndWait(sim);
  });

  it('with drops, corruption and duplicates on the link, every read returns the last value written', async () => {
    const socket = join(dir, 'faults.sock');
    const sim = await startSim(socket, ['--faults', 'drop=0.05,corrupt=0.05,duplicate=0.05,seed=7']);
    const c = await client(socket, 100);
    const wrong: string[] = [];
    let linkErrors = 0;
    let last: number | undefined;
    for (let k = 0; k < 150; k++) {
      const value = (k * 0x9e37) & 0xffff;
      try {
        await c.write(GPIOA_ODR, value);
        last = value;
        const seen = await c.read(GPIOA_ODR);
        if (seen !== last) wrong.push(`wrote ${value}, read ${seen}`);
      } catch (error) {
        // Give-ups are reported, never guessed; after one, the written value is unknown.
        expect(error).toBeInstanceOf(LinkError);
        linkErrors++;
        last = undefined;
      }
    }
    expect(wrong).toEqual([]);
    expect(linkErrors).toBeLessThan(10);
    expect(c.stats.retransmits + c.stats.crcErrors).toBeGreaterThan(0);
    await c.close();
    await killAndWait(sim);
  });
});
