/**
 * Fuzz: the wire protocol (src/protocol) and the device side that parses it (firmware-sim/server.ts).
 * Random bytes through the SLIP decoder and the frame decoder, random frames with valid CRCs through
 * the server's request executor, and random byte streams into a served link: nothing throws, every
 * case finishes within the bound, framing round-trips exactly, and every request gets one answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimServer } from '../../firmware-sim/server.ts';
import {
  decodeEventPayload,
  decodeFrame,
  decodeHelloInfo,
  encodeFrame,
  Flag,
  MAX_PAYLOAD,
  SlipDecoder,
  slipEncode,
  inProcessPair,
  type Frame,
  type SlipEvent,
} from '../../src/protocol/index.ts';
import { demoSim } from '../unit/protocol/helpers.ts';
import { countCase, fuzzParams, timed, timedAsync } from './harness.ts';

/**
 * The simulator's default per-request tick cap (100 M) lets one TICK or WAIT request run ~9 s on the
 * demo board (regressions/sim-tick-bound.test.ts tracks that); the fuzz caps it so it keeps looking
 * for other faults instead of rediscovering that one.
 */
const TICK_CAP = { maxTicksPerRequest: 1_000_000 };

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
/** Byte streams rich in SLIP control bytes, where framing bugs live. */
const slipNoise = fc
  .array(fc.oneof(fc.constantFrom(0xc0, 0xdb, 0xdc, 0xdd), fc.integer({ min: 0, max: 255 })), { maxLength: 600 })
  .map((a) => Uint8Array.from(a));

const frameArb: fc.Arbitrary<Frame> = fc.record({
  version: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  flags: fc.oneof(fc.constant(0), fc.constant(Flag.FIXED), fc.integer({ min: 0, max: 255 })),
  seq: fc.integer({ min: 0, max: 0xffff }),
  device: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  op: fc.integer({ min: 0, max: 14 }),
  width: fc.constantFrom(0, 1, 2, 3, 4, 8, 255),
  count: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0xffff, 1024, 4096)),
  address: fc.oneof(fc.constantFrom(0x4000_1000, 0x4000_1004, 0x4000_1008, 0x4000_2000, 0x4000_3000, 0x4000_100c), fc.integer({ min: 0, max: 0xffff_ffff })),
  payload: fc.oneof(bytes(24), fc.uint8Array({ minLength: 4, maxLength: 4 }), bytes(MAX_PAYLOAD + 8)),
});

function drain(decoder: SlipDecoder, chunks: readonly Uint8Array[]): SlipEvent[] {
  const events: SlipEvent[] = [];
  for (const c of chunks) decoder.push(c, (e) => events.push(e));
  return events;
}

describe('fuzz: wire protocol codec', () => {
  it('random byte streams through SLIP and the frame decoder never throw', () => {
    fc.assert(
      fc.property(fc.array(slipNoise, { maxLength: 6 }), fc.integer({ min: 16, max: 2048 }), (chunks, maxFrame) => {
        countCase('protocol');
        timed('slip+frame decode', () => {
          for (const event of drain(new SlipDecoder(maxFrame), chunks)) {
            if (event.kind !== 'frame') continue;
            expect(event.body.length).toBeLessThanOrEqual(maxFrame);
            const decoded = decodeFrame(event.body);
            if (decoded.ok) {
              decodeHelloInfo(decoded.frame.payload, 1);
              decodeEventPayload(decoded.frame);
            }
          }
        });
      }),
      fuzzParams(4),
    );
  });

  it('frames survive SLIP encoding, arbitrary chunking and leading line noise exactly', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 5 }),
        slipNoise,
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        (frames, noise, cuts) => {
          countCase('protocol');
          const wire = Buffer.concat([noise, ...frames.map((f) => slipEncode(encodeFrame(f)))]);
          const chunks: Uint8Array[] = [];
          for (let at = 0, i = 0; at < wire.length; i++) {
            const size = cuts[i % cuts.length]!;
            chunks.push(wire.subarray(at, at + size));
            at += size;
          }
          const decoded = drain(new SlipDecoder(MAX_PAYLOAD * 2 + 64), chunks)
            .filter((e): e is Extract<SlipEvent, { kind: 'frame' }> => e.kind === 'frame')
            .map((e) => decodeFrame(e.body))
            .filter((d) => d.ok)
            .map((d) => (d.ok ? d.frame : undefined));
          // The noise may itself contain valid frames (never in practice: a CRC must match); the sent frames come last, in order.
          const tail = decoded.slice(decoded.length - frames.length);
          expect(tail.map((f) => ({ ...f, payload: [...f!.payload] }))).toEqual(frames.map((f) => ({ ...f, payload: [...f.payload] })));
        },
      ),
      fuzzParams(2),
    );
  });

  it('a corrupted byte in a frame is never accepted as a different frame', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (frame, where, xor) => {
        countCase('protocol');
        const body = encodeFrame(frame);
        body[where % body.length]! ^= xor;
        const decoded = decodeFrame(body);
        // CRC-32 detects every single-byte error.
        expect(decoded.ok).toBe(false);
      }),
      fuzzParams(4),
    );
  });
});

describe('fuzz: simulator server', () => {
  it('random requests with valid CRCs always get a status, within the bound', () => {
    const server = new SimServer([demoSim('rev-b', TICK_CAP)]);
    let seq = 0;
    fc.assert(
      fc.property(frameArb, (frame) => {
        countCase('protocol');
        const response = timed(`execute ${JSON.stringify({ ...frame, payload: frame.payload.length })}`, () =>
          server.execute(frame, { client: 1, seq: seq++ }),
        );
        expect(response.length).toBeGreaterThanOrEqual(1);
        // A response must fit a frame the client accepts.
        expect(response.length).toBeLessThanOrEqual(MAX_PAYLOAD + 16);
      }),
      fuzzParams(4),
    );
  });

  it('random byte streams into a served link are answered or dropped, never thrown on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            slipNoise,
            frameArb.map((f) => slipEncode(encodeFrame(f))),
          ),
          { maxLength: 8 },
        ),
        async (chunks) => {
          countCase('protocol');
          const server = new SimServer([demoSim('rev-b', TICK_CAP)]);
          const [host, device] = inProcessPair();
          server.attach(device);
          const answers: Uint8Array[] = [];
          host.onData((b) => answers.push(b));
          await timedAsync('served link', async () => {
            for (const c of chunks) host.write(c);
            for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
          });
          // Whatever came back is well-framed: every frame decodes with a valid CRC and the RESPONSE flag.
          for (const e of drain(new SlipDecoder(MAX_PAYLOAD * 2 + 64), answers)) {
            expect(e.kind).toBe('frame');
            if (e.kind !== 'frame') continue;
            const d = decodeFrame(e.body);
            expect(d.ok).toBe(true);
            if (d.ok) expect(d.frame.flags & Flag.RESPONSE).toBe(Flag.RESPONSE);
          }
          await host.close();
          await server.close();
        },
      ),
      fuzzParams(),
    );
  });
});
