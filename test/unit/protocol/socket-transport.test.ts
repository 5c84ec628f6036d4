/**
 * connectUnix reads into one reused buffer (src/protocol/node-transports.ts): a frame that arrives
 * in pieces, each read overwriting the last, must still be reassembled whole by the client. And it
 * writes from a reused buffer when the socket says it kept nothing (`released`): what the kernel
 * did not take at once must arrive intact though the writer goes on.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameBatch } from '../../../src/protocol/frame-batch.ts';
import { concatBytes } from '../../../src/protocol/frame.ts';
import { connect, connectUnix, encodeFrame, encodeHelloInfo, Flag, Op, SlipDecoder, slipEncode, Status } from '../../../src/protocol/index.ts';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `bytes` in `pieces` writes, pausing between them so each arrives as a read of its own. */
async function inPieces(socket: Socket, bytes: Uint8Array, pieces: number): Promise<void> {
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) {
    socket.write(bytes.subarray(at, at + step));
    await pause(20);
  }
}

describe('connectUnix', () => {
  it('reassembles answers that arrive a few bytes per read, though every read reuses one buffer', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'socket-transport-')), 'peer.sock');
    const info = encodeHelloInfo({ protocolVersion: 1, deviceCount: 1, maxPayload: 4096, board: 'pieces', revision: 'r1', specHash: 'h' });
    const server = createServer((socket) => {
      const decoder = new SlipDecoder();
      let chain = Promise.resolve();
      socket.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (event) => {
          if (event.kind !== 'frame') return;
          const seq = event.body[2]! | (event.body[3]! << 8);
          const op = event.body[5]!;
          // A HELLO answer is long (its info); a READ answers 0xA5A5_0000 + seq, so each answer differs.
          const payload = op === Op.HELLO ? concatBytes([Uint8Array.of(Status.OK), info]) : Uint8Array.of(Status.OK, seq & 0xff, (seq >> 8) & 0xff, 0xa5, 0xa5);
          const answer = slipEncode(encodeFrame({ seq, op, width: op === Op.READ ? 4 : 0, count: op === Op.READ ? 1 : 0, flags: Flag.RESPONSE, payload }));
          chain = chain.then(() => inPieces(socket, answer, 5));
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const client = await connect(await connectUnix(path), { heartbeatMs: 0, timeoutMs: 5000, retries: 1 });
      expect(client.info?.board).toBe('pieces');
      const values = [await client.read(0x1000), await client.read(0x1004)];
      expect(values.map((v) => v >>> 16)).toEqual([0xa5a5, 0xa5a5]);
      expect(values[1]! - values[0]!).toBe(1); // consecutive seqs, each answer its own
      expect(client.stats.badFrames).toBe(0);
      expect(client.stats.retransmits).toBe(0);
      await client.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('released is true after a write the kernel took whole, false while bytes wait; batches written through it arrive intact', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'socket-transport-')), 'peer.sock');
    let server: Server | undefined;
    let peer: Socket | undefined;
    const connected = new Promise<Socket>((resolve) => {
      server = createServer((socket) => {
        peer = socket;
        socket.pause(); // reads nothing until told: the writer's side fills up
        resolve(socket);
      });
      server.listen(path);
    });
    const transport = await connectUnix(path);
    await connected;
    try {
      const batch = new FrameBatch();
      const write = (bytes: Uint8Array): void => transport.write(bytes);
      const released = (): boolean => transport.released?.() === true;
      // A small batch: written whole at once, nothing kept.
      batch.add(1, 0, 0, Op.READ, 4, 1, 0x1000);
      batch.writeTo(write, released);
      expect(released()).toBe(true);
      // Batches until the kernel stops taking them: from then on the socket keeps what it was given,
      // and the batch must not write its next frames over it.
      const sent: Uint8Array[] = [slipEncode(encodeFrame({ seq: 1, op: Op.READ, width: 4, count: 1, address: 0x1000 }))];
      let seq = 2;
      for (let round = 0; round < 2000 && released(); round++) {
        for (let i = 0; i < 128; i++, seq++) {
          batch.add(seq & 0xffff, 0, 0, Op.READ, 4, 1, 0x1000 + seq);
          sent.push(slipEncode(encodeFrame({ seq: seq & 0xffff, op: Op.READ, width: 4, count: 1, address: 0x1000 + seq })));
        }
        batch.writeTo(write, released);
      }
      expect(released()).toBe(false);
      for (let i = 0; i < 256; i++, seq++) {
        batch.add(seq & 0xffff, 0, 0, Op.READ, 4, 1, 0x1000 + seq);
        sent.push(slipEncode(encodeFrame({ seq: seq & 0xffff, op: Op.READ, width: 4, count: 1, address: 0x1000 + seq })));
        if (i % 64 === 63) batch.writeTo(write, released);
      }
      const expected = Buffer.concat(sent);
      const received: Buffer[] = [];
      let length = 0;
      await new Promise<void>((resolve) => {
        peer!.on('data', (chunk: Buffer) => {
          received.push(chunk);
          length += chunk.length;
          if (length >= expected.length) resolve();
        });
        peer!.resume();
      });
      expect(Buffer.concat(received).equals(expected)).toBe(true);
    } finally {
      peer?.destroy();
      await transport.close();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
  });
});
