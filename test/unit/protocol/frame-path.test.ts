/**
 * The allocation-free frame path (docs/performance.md, link): SlipDecoder.scan, FrameBatch and
 * ResponseCache must give exactly what the plain codec gives, on any input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, Op, SlipDecoder, slipEncode, Status, type SlipEvent } from '../../../src/protocol/index.ts';
import { FrameBatch, wordNeedsEscape } from '../../../src/protocol/frame-batch.ts';
import { ResponseCache } from '../../../src/protocol/response-cache.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Splits `wire` at the given cut points (each taken modulo its length). */
function chunked(wire: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, wire.length]) {
    chunks.push(wire.subarray(last, p));
    last = p;
  }
  return chunks;
}

/** RFC 1055 decoding, byte by byte, written out plainly: the reference the fast path must match. */
function referenceDecode(chunks: Uint8Array[], maxFrame: number): string[] {
  const out: string[] = [];
  let body: number[] = [];
  let escaped = false;
  let broken: string | undefined;
  for (const chunk of chunks) {
    for (const b of chunk) {
      if (b === 0xc0) {
        if (broken) out.push(`${broken}:${body.length}`);
        else if (body.length > 0) out.push(hex(Uint8Array.from(body)));
        body = [];
        escaped = false;
        broken = undefined;
      } else if (broken) continue;
      else if (escaped) {
        escaped = false;
        if (b === 0xdc || b === 0xdd) body.length < maxFrame ? body.push(b === 0xdc ? 0xc0 : 0xdb) : (broken = 'too-long');
        else broken = 'bad-escape';
      } else if (b === 0xdb) escaped = true;
      else if (body.length < maxFrame) body.push(b);
      else broken = 'too-long';
    }
  }
  return out;
}

describe('SlipDecoder.scan', () => {
  it('hands out the same frames and errors as a plain byte-by-byte decoder, for any bytes split at any points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(Uint8Array.of(0xc0), Uint8Array.of(0xdb, 0x55))), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (parts, cuts) => {
          const wire = Buffer.concat(parts.map((p, i) => (i % 2 ? p : slipEncode(p))));
          const pushed: string[] = [];
          const scanned: string[] = [];
          const a = new SlipDecoder(24);
          const b = new SlipDecoder(24);
          const chunks = chunked(wire, cuts);
          for (const chunk of chunks) {
            a.push(chunk, (e: SlipEvent) => pushed.push(e.kind === 'frame' ? hex(e.body) : `${e.kind}:${e.length}`));
            b.scan(
              chunk,
              (bytes, start, end) => scanned.push(hex(bytes.subarray(start, end))),
              (kind, length) => scanned.push(`${kind}:${length}`),
            );
          }
          const expected = referenceDecode(chunks, 24);
          expect(scanned).toEqual(expected);
          expect(pushed).toEqual(expected);
        },
      ),
    );
  });

  it('takes a frame of exactly the limit and reports one byte more as too long, escaped or not', () => {
    for (const fill of [0x11, 0xc0]) {
      const wire = Buffer.concat([23, 24, 25].map((n) => slipEncode(new Uint8Array(n).fill(fill))));
      const seen: string[] = [];
      new SlipDecoder(24).scan(
        wire,
        (_bytes, start, end) => seen.push(`frame:${end - start}`),
        (kind, length) => seen.push(`${kind}:${length}`),
      );
      expect(seen).toEqual(['frame:23', 'frame:24', 'too-long:24']);
    }
  });

  it('hands a whole unescaped frame out as a range of the chunk itself (no copy)', () => {
    const chunk = Buffer.concat([slipEncode(Uint8Array.of(1, 2, 3)), slipEncode(Uint8Array.of(4))]);
    const seen: { same: boolean; start: number; end: number }[] = [];
    new SlipDecoder().scan(
      chunk,
      (bytes, start, end) => seen.push({ same: bytes === chunk, start, end }),
      () => undefined,
    );
    expect(seen).toEqual([
      { same: true, start: 1, end: 4 },
      { same: true, start: 6, end: 7 },
    ]);
  });

  it('push copies: an event body does not change when the received chunk is reused', () => {
    const chunk = Buffer.from(slipEncode(Uint8Array.of(9, 8, 7)));
    const bodies: Uint8Array[] = [];
    new SlipDecoder().push(chunk, (e) => e.kind === 'frame' && bodies.push(e.body));
    chunk.fill(0);
    expect([...bodies[0]!]).toEqual([9, 8, 7]);
  });
});

describe('FrameBatch', () => {
  const header = fc.record({
    seq: fc.integer({ min: 0, max: 0xffff }),
    flags: fc.integer({ min: 0, max: 0xff }),
    device: fc.integer({ min: 0, max: 0xff }),
    op: fc.integer({ min: 0, max: 0xff }),
    width: fc.integer({ min: 0, max: 0xff }),
    count: fc.integer({ min: 0, max: 0xffff }),
    address: fc.integer({ min: 0, max: 0xffff_ffff }),
    payload: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: undefined }),
  });

  it('writes, frame after frame, exactly the bytes of slipEncode(encodeFrame(...))', () => {
    fc.assert(
      fc.property(fc.array(header, { minLength: 1, maxLength: 6 }), (frames) => {
        const batch = new FrameBatch();
        for (const f of frames) batch.add(f.seq, f.flags, f.device, f.op, f.width, f.count, f.address, f.payload);
        const expected = Buffer.concat(frames.map((f) => slipEncode(encodeFrame({ ...f, ...(f.payload ? { payload: f.payload } : {}) }))));
        expect(hex(batch.take())).toBe(hex(expected));
        expect(batch.size).toBe(0);
      }),
    );
  });

  it('addFrame and add interleaved write exactly what slipEncode gives, for frames taken from any range of a buffer', () => {
    const special = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 0xff }) }, { weight: 1, arbitrary: fc.constantFrom(0xc0, 0xdb) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(special, { maxLength: 80 }), fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), (parts) => {
        const batch = new FrameBatch();
        const expected: Uint8Array[] = [];
        parts.forEach(([bytes, a, b], i) => {
          const source = Uint8Array.from(bytes);
          const start = source.length ? a % source.length : 0;
          const end = start + (source.length ? b % (source.length - start + 1) : 0);
          batch.addFrame(source, start, end);
          expected.push(slipEncode(source.subarray(start, end)));
          batch.add(i, 0, 0, Op.READ, 4, 1, 0x4000_1004 + 4 * i);
          expected.push(slipEncode(encodeFrame({ seq: i, op: Op.READ, width: 4, count: 1, address: 0x4000_1004 + 4 * i })));
        });
        expect(hex(batch.take())).toBe(hex(Buffer.concat(expected)));
      }),
    );
  });

  /** A field whose bytes are often END or ESC, so the escaped encoding is taken as often as the plain one. */
  const spiky = (bytes: number): fc.Arbitrary<number> =>
    fc
      .array(fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.constantFrom(0xc0, 0xdb)), { minLength: bytes, maxLength: bytes })
      .map((b) => b.reduce((v, x, i) => v + x * 2 ** (8 * i), 0));

  it('wordNeedsEscape is true exactly when one of the four bytes is END or ESC', () => {
    fc.assert(
      fc.property(spiky(4), (w) => {
        const bytes = [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24];
        expect(wordNeedsEscape(w)).toBe(bytes.some((b) => b === 0xc0 || b === 0xdb));
        expect(wordNeedsEscape(w | 0)).toBe(wordNeedsEscape(w)); // signed or unsigned, the same bits
      }),
      { numRuns: 2000 },
    );
  });

  it('addAnswer writes exactly slipEncode(encodeFrame(...)) of the header with a status and value payload, escapes or not', () => {
    const answer = fc.record({
      seq: spiky(2),
      flags: spiky(1),
      device: spiky(1),
      op: spiky(1),
      width: spiky(1),
      count: spiky(2),
      address: spiky(4),
      status: spiky(1),
      value: spiky(4),
      valueLength: fc.constantFrom(0, 1, 2, 4),
    });
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 6 }), (answers) => {
        const batch = new FrameBatch();
        const expected: Uint8Array[] = [];
        for (const a of answers) {
          batch.addAnswer(a.seq, a.flags, a.device, a.op, a.width, a.count, a.address, a.status, a.value, a.valueLength);
          const payload = Uint8Array.from({ length: 1 + a.valueLength }, (_, i) => (i === 0 ? a.status : Math.floor(a.value / 2 ** (8 * (i - 1))) & 0xff));
          expected.push(slipEncode(encodeFrame({ ...a, payload })));
        }
        expect(hex(batch.take())).toBe(hex(Buffer.concat(expected)));
      }),
      { numRuns: 500 },
    );
  });

  it('take hands out a copy: the next frames do not overwrite a batch already given to a transport', () => {
    const batch = new FrameBatch();
    batch.add(1, 0, 0, Op.READ, 4, 1, 0x4000_1004);
    const first = batch.take();
    const before = hex(first);
    batch.add(2, 0, 0, Op.READ, 4, 1, 0x4000_1008);
    batch.take();
    expect(hex(first)).toBe(before);
  });
});

describe('ResponseCache', () => {
  const request = (seq: number, value: number): Uint8Array =>
    encodeFrame({ seq, op: Op.WRITE, width: 4, count: 1, address: 0x4000_0000, payload: Uint8Array.of(value, 0, 0, 0) });
  const response = (seq: number, size = 1): Uint8Array => encodeFrame({ seq, op: Op.WRITE, flags: 1, payload: new Uint8Array(size).fill(seq & 0xff) });

  it('answers a byte-identical request with its response, and nothing else', () => {
    const cache = new ResponseCache(8);
    cache.store(5, request(5, 1), 0, request(5, 1).length, response(5));
    expect(hex(cache.lookup(5, request(5, 1))!)).toBe(hex(response(5)));
    expect(cache.lookup(5, request(5, 2))).toBeUndefined(); // same seq, other bytes: a new request
    expect(cache.lookup(6, request(6, 1))).toBeUndefined();
    // A request given as a range of a larger buffer matches too.
    const framed = Buffer.concat([Uint8Array.of(0xaa), request(5, 1), Uint8Array.of(0xbb)]);
    expect(cache.lookup(5, framed, 1, framed.length - 1)).toBeDefined();
  });

  it('remembers exactly the last `size` stores, small and large frames alike, across seq wrap-around', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 0xffff }), (size, stores, first) => {
        const cache = new ResponseCache(size);
        const seqs = Array.from({ length: stores }, (_, i) => (first + i) & 0xffff);
        seqs.forEach((seq, i) => {
          const req = request(seq, i & 0xff);
          cache.store(seq, req, 0, req.length, response(seq, i % 3 === 0 ? 40 : 1));
        });
        seqs.forEach((seq, i) => {
          const found = cache.lookup(seq, request(seq, i & 0xff));
          if (i >= stores - size) expect(found && hex(found)).toBe(hex(response(seq, i % 3 === 0 ? 40 : 1)));
          else expect(found).toBeUndefined();
        });
      }),
    );
  });

  /** Remembers a plain READ by its fields, as the simulator's fast path does (value: the seq's low byte). */
  const readRequest = (seq: number, address: number): Uint8Array => encodeFrame({ seq, op: Op.READ, width: 4, count: 1, address });
  const readAnswer = (seq: number, address: number): Uint8Array =>
    encodeFrame({ seq, op: Op.READ, width: 4, count: 1, address, flags: 1, payload: Uint8Array.of(0, seq & 0xff, 0, 0, 0) });
  const reserveRead = (cache: ResponseCache, seq: number, address: number): void => cache.rememberRead(seq, 0, 4, 1, address, Status.OK, seq & 0xff);

  it('a READ remembered by its fields answers exactly its READ (the answer header with flags 0, no payload, a good CRC) with the bytes sent', () => {
    const cache = new ResponseCache(8);
    reserveRead(cache, 7, 0x4000_1004);
    expect(hex(cache.lookup(7, readRequest(7, 0x4000_1004))!)).toBe(hex(readAnswer(7, 0x4000_1004)));
    const framed = Buffer.concat([Uint8Array.of(0xaa), readRequest(7, 0x4000_1004), Uint8Array.of(0xbb)]);
    expect(cache.has(7, framed, 1, framed.length - 1)).toBe(true);
    expect(cache.lookup(7, readRequest(7, 0x4000_1008))).toBeUndefined(); // another address
    expect(cache.lookup(7, encodeFrame({ seq: 7, op: Op.READ, width: 2, count: 1, address: 0x4000_1004 }))).toBeUndefined();
    expect(cache.lookup(7, encodeFrame({ seq: 7, op: Op.READ, width: 4, count: 1, address: 0x4000_1004, flags: 0x10 }))).toBeUndefined();
    expect(cache.lookup(7, encodeFrame({ seq: 7, op: Op.READ, width: 4, count: 1, address: 0x4000_1004, payload: Uint8Array.of(0) }))).toBeUndefined();
    const damaged = readRequest(7, 0x4000_1004);
    damaged[damaged.length - 1]! ^= 1; // same header, wrong CRC: not the same request
    expect(cache.lookup(7, damaged)).toBeUndefined();
  });

  it('READs remembered by their fields and copied stores share the ring: the last `size` of either are remembered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 0, max: 0xffff }),
        (size, kinds, first) => {
          const cache = new ResponseCache(size);
          const seqs = kinds.map((_, i) => (first + i) & 0xffff);
          kinds.forEach((isRead, i) => {
            const seq = seqs[i]!;
            if (isRead) reserveRead(cache, seq, 0x4000_0000 + 4 * i);
            else cache.store(seq, request(seq, i & 0xff), 0, request(seq, 0).length, response(seq, i % 3 === 0 ? 40 : 1));
          });
          kinds.forEach((isRead, i) => {
            const seq = seqs[i]!;
            const found = isRead ? cache.lookup(seq, readRequest(seq, 0x4000_0000 + 4 * i)) : cache.lookup(seq, request(seq, i & 0xff));
            const expected = isRead ? readAnswer(seq, 0x4000_0000 + 4 * i) : response(seq, i % 3 === 0 ? 40 : 1);
            if (i >= kinds.length - size) expect(found && hex(found)).toBe(hex(expected));
            else expect(found).toBeUndefined();
          });
        },
      ),
    );
  });

  it('a seq stored again answers with its latest response; clear forgets everything', () => {
    const cache = new ResponseCache(4);
    cache.store(1, request(1, 1), 0, request(1, 1).length, response(1, 1));
    cache.store(1, request(1, 1), 0, request(1, 1).length, response(1, 2));
    expect(hex(cache.lookup(1, request(1, 1))!)).toBe(hex(response(1, 2)));
    cache.clear();
    expect(cache.lookup(1, request(1, 1))).toBeUndefined();
  });
});
