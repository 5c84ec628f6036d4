import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, decodeFrame, encodeFrame, Flag, Op, SlipDecoder, slipEncode, type SlipEvent } from '../../../src/protocol/index.ts';
import { getUint, putUint } from '../../../src/protocol/frame.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

/** The byte-exact examples of docs/protocol.md: frame bytes (before SLIP) and wire bytes. */
const VECTORS = [
  {
    name: 'HELLO request, seq 1, nonce 0x12345678',
    input: { seq: 1, op: Op.HELLO, payload: Uint8Array.of(0x78, 0x56, 0x34, 0x12) },
    frame: '0100010000010000000000000078563412b7f53ee2',
    wire: 'c00100010000010000000000000078563412b7f53ee2c0',
  },
  {
    name: 'WRITE 0x000000C0 to 0x40001008, seq 2 (the 0xC0 byte is escaped)',
    input: { seq: 2, op: Op.WRITE, width: 4, count: 1, address: 0x40001008, payload: Uint8Array.of(0xc0, 0, 0, 0) },
    frame: '01000200000304010008100040c00000001770cf54',
    wire: 'c001000200000304010008100040dbdc0000001770cf54c0',
  },
  {
    name: 'READ response, seq 3: OK, value 0x00000001 from 0x40001004',
    input: { seq: 3, op: Op.READ, flags: Flag.RESPONSE, width: 4, count: 1, address: 0x40001004, payload: Uint8Array.of(0, 1, 0, 0, 0) },
    frame: '010103000002040100041000400001000000c75a4012',
    wire: 'c0010103000002040100041000400001000000c75a4012c0',
  },
];

describe('CRC-32', () => {
  it('has the CRC-32/ISO-HDLC check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it('agrees with zlib on any input and any sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length ? a % bytes.length : 0;
        const end = start + (bytes.length - start ? b % (bytes.length - start + 1) : 0);
        expect(crc32(bytes, start, end)).toBe(zlibCrc32(bytes.subarray(start, end)));
      }),
    );
  });
});

describe('SLIP', () => {
  const decodeAll = (chunks: Uint8Array[]): SlipEvent[] => {
    const events: SlipEvent[] = [];
    const decoder = new SlipDecoder();
    for (const c of chunks) decoder.push(c, (e) => events.push(e));
    return events;
  };

  it('round-trips any frames split at any points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, cuts) => {
          const wire = Buffer.concat(frames.map((f) => slipEncode(f)));
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((x, y) => x - y);
          const chunks: Uint8Array[] = [];
          let last = 0;
          for (const p of [...points, wire.length]) {
            chunks.push(wire.subarray(last, p));
            last = p;
          }
          const events = decodeAll(chunks);
          expect(events.map((e) => (e.kind === 'frame' ? hex(e.body) : e.kind))).toEqual(frames.map(hex));
        },
      ),
    );
  });

  it('escapes END and ESC and never emits a bare END inside a frame', () => {
    const encoded = slipEncode(Uint8Array.of(0xc0, 0xdb, 0x01));
    expect(hex(encoded)).toBe('c0dbdcdbdd01c0');
  });

  it('reports a bad escape and resynchronises at the next END', () => {
    const events = decodeAll([Uint8Array.of(0xc0, 0x01, 0xdb, 0x55, 0x02, 0xc0), slipEncode(Uint8Array.of(7, 8))]);
    expect(events.map((e) => e.kind)).toEqual(['bad-escape', 'frame']);
  });

  it('reports an over-long frame instead of growing without bound', () => {
    const decoder = new SlipDecoder(16);
    const events: SlipEvent[] = [];
    decoder.push(slipEncode(new Uint8Array(40).fill(1)), (e) => events.push(e));
    decoder.push(slipEncode(Uint8Array.of(9)), (e) => events.push(e));
    expect(events.map((e) => e.kind)).toEqual(['too-long', 'frame']);
  });
});

describe('frame codec', () => {
  it('matches the byte-exact test vectors, which docs/protocol.md quotes verbatim', () => {
    const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
    for (const v of VECTORS) {
      const frame = encodeFrame(v.input);
      expect(hex(frame), v.name).toBe(v.frame);
      expect(hex(slipEncode(frame)), v.name).toBe(v.wire);
      // The CRC is zlib's CRC-32 over every byte before it, stored little-endian.
      expect(Buffer.from(frame).readUInt32LE(frame.length - 4)).toBe(zlibCrc32(frame.subarray(0, frame.length - 4)));
      expect(doc).toContain(v.wire);
      expect(doc).toContain(v.frame);
      const decoded = decodeFrame(unhex(v.frame));
      expect(decoded.ok && decoded.frame.seq).toBe(v.input.seq);
    }
  });

  it('round-trips every header field and payload', () => {
    fc.assert(
      fc.property(
        fc.record({
          flags: fc.integer({ min: 0, max: 255 }),
          seq: fc.integer({ min: 0, max: 0xffff }),
          device: fc.integer({ min: 0, max: 255 }),
          op: fc.integer({ min: 0, max: 255 }),
          width: fc.integer({ min: 0, max: 255 }),
          count: fc.integer({ min: 0, max: 0xffff }),
          address: fc.integer({ min: 0, max: 0xffff_ffff }),
          payload: fc.uint8Array({ maxLength: 64 }),
        }),
        (input) => {
          const decoded = decodeFrame(encodeFrame(input));
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          expect({ ...decoded.frame, payload: hex(decoded.frame.payload) }).toEqual({ ...input, version: 1, payload: hex(input.payload) });
        },
      ),
    );
  });

  it('detects every single-bit error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.nat(), (payload, bit) => {
        const frame = encodeFrame({ seq: 9, op: Op.WRITE, width: 4, address: 0x1000, payload });
        const at = bit % (frame.length * 8);
        frame[at >> 3] = frame[at >> 3]! ^ (1 << (at & 7));
        const decoded = decodeFrame(frame);
        expect(decoded.ok).toBe(false);
      }),
    );
  });

  it('refuses frames shorter than header and CRC', () => {
    expect(decodeFrame(new Uint8Array(16))).toEqual({ ok: false, reason: 'short' });
  });

  it('getUint reads little-endian values of 1 to 4 bytes, bytes past the end as 0, and inverts putUint', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 4 }), (bytes, offset, width) => {
        let expected = 0;
        for (let i = width - 1; i >= 0; i--) expected = expected * 256 + (bytes[offset + i] ?? 0);
        expect(getUint(bytes, offset, width)).toBe(expected);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (value) => {
        const bytes = new Uint8Array(6);
        putUint(bytes, 1, value, 4);
        expect(getUint(bytes, 1, 4)).toBe(value);
      }),
    );
  });
});
