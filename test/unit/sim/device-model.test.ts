import { describe, expect, it } from 'vitest';
import { POISON } from '../../../firmware-sim/device-model.ts';
import { Status } from '../../../src/protocol/index.ts';
import { semanticsSim } from './fixture.ts';

const R = 0x1004;
const ONCE = 0x1008;
const INT = 0x100c;
const EN = 0x1010;

describe('read side effects and access', () => {
  it('rclr/rset return the old value, then clear/set; write-only bits read 0; read-only writes are ignored', () => {
    const sim = semanticsSim();
    const m = sim.model;
    m.field('P.R.RCLR')!.value = 0x3c;
    m.field('P.R.RSET')!.value = 0x01;
    sim.write(R, 4, 0xff00_0000); // WO = 0xFF, RO untouched (read-only), RCLR/RSET written 0
    expect(m.field('P.R.WO')!.value).toBe(0xff);
    expect(m.field('P.R.RO')!.value).toBe(0x5a);
    m.field('P.R.RCLR')!.value = 0x3c;
    m.field('P.R.RSET')!.value = 0x01;
    expect(sim.read(R, 4).value).toBe(0x005a_013c); // WO reads as 0
    expect(sim.read(R, 4).value).toBe(0x005a_ff00);
    // A byte read of RO only: RCLR/RSET are not touched, so their side effects do not fire.
    m.field('P.R.RCLR')!.value = 7;
    expect(sim.read(R + 2, 1).value).toBe(0x5a);
    expect(m.field('P.R.RCLR')!.value).toBe(7);
  });

  it('peek (WAIT, MODIFY, traces) never fires read side effects', () => {
    const sim = semanticsSim();
    sim.model.field('P.R.RCLR')!.value = 9;
    expect(sim.model.peek(R, 4).value & 0xff).toBe(9);
    expect(sim.wait(R, 4, 9, 0xff, 5).status).toBe(Status.OK);
    expect(sim.model.field('P.R.RCLR')!.value).toBe(9);
  });

  it('misaligned → ALIGN, unmapped → BUS_ERROR, bad width → BAD_REQUEST, and nothing changes', () => {
    const sim = semanticsSim();
    expect(sim.read(0x1002, 4).status).toBe(Status.ALIGN);
    expect(sim.write(0x1001, 2, 0xffff).status).toBe(Status.ALIGN);
    expect(sim.read(0x2000, 4).status).toBe(Status.BUS_ERROR);
    expect(sim.read(0x1000, 3).status).toBe(Status.BAD_REQUEST);
    // 0x101C is past the last register (H16 ends at 0x101B): a word at 0x1018 is mapped, one at 0x101C is not.
    expect(sim.read(0x1018, 4).status).toBe(Status.OK);
    expect(sim.write(0x101c, 4, 1).status).toBe(Status.BUS_ERROR);
  });

  it('one word access spans small registers, lane by lane', () => {
    const sim = semanticsSim();
    expect(sim.read(0x1018, 4).value).toBe(0xbeef_0042); // RO8=0x42, RW8=0, H16=0xBEEF
    sim.write(0x1018, 4, 0x1234_5699);
    expect(sim.read(0x1018, 4).value).toBe(0x1234_5642); // RO8 ignored the write
    expect(sim.read(0x101a, 2).value).toBe(0x1234);
    expect(sim.read(0x101b, 1).value).toBe(0x12);
  });

  it('read-only writes answer ACCESS_ERROR under the strict policy only when no writable field is touched', () => {
    const strict = semanticsSim({ readOnlyWrites: 'error' });
    expect(strict.write(0x1018, 1, 0xff).status).toBe(Status.ACCESS_ERROR);
    expect(strict.write(R + 2, 1, 0).status).toBe(Status.ACCESS_ERROR);
    expect(strict.write(R, 4, 0).status).toBe(Status.OK);
    expect(semanticsSim().write(0x1018, 1, 0xff).status).toBe(Status.OK);
  });
});

describe('write-once, singlepulse, resets', () => {
  it('w1/rw1 take the first write after reset only; a soft reset re-arms them', () => {
    const sim = semanticsSim();
    const m = sim.model;
    sim.write(ONCE, 1, 0xaa);
    sim.write(ONCE, 1, 0x55);
    expect(m.field('P.ONCE.W1')!.value).toBe(0xaa);
    expect(sim.read(ONCE, 1).value).toBe(0); // w1 is write-only: reads 0
    expect(sim.read(ONCE + 1, 1).value).toBe(0x11);
    sim.write(ONCE + 1, 1, 0x22);
    sim.write(ONCE + 1, 1, 0x33);
    expect(sim.read(ONCE + 1, 1).value).toBe(0x22);
    sim.reset('soft');
    expect(sim.read(ONCE + 1, 1).value).toBe(0x11);
    sim.write(ONCE + 1, 1, 0x44);
    expect(sim.read(ONCE + 1, 1).value).toBe(0x44);
  });

  it('singlepulse reads back 0 after the access that set it, and the pulse is visible in the trace', () => {
    const records: { changes: readonly { field: string; old: number; new: number }[] }[] = [];
    const sim = semanticsSim({ tracers: [{ access: (r) => records.push(r), close: () => undefined }] });
    sim.write(ONCE + 2, 1, 0x01);
    expect(sim.model.field('P.ONCE.SP')!.value).toBe(0);
    const sp = records.at(-1)!.changes.filter((c) => c.field === 'P.ONCE.SP');
    expect(sp.map((c) => [c.old, c.new])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('unreset fields follow the policy on power-on and keep their value on a soft reset', () => {
    expect(semanticsSim().model.field('P.ONCE.NR')!.value).toBe(0);
    expect(semanticsSim({ unreset: 'poison' }).model.field('P.ONCE.NR')!.value).toBe((POISON >>> 24) & 0xff);
    const a = semanticsSim({ unreset: 'random', seed: 5 }).model.field('P.ONCE.NR')!.value;
    const b = semanticsSim({ unreset: 'random', seed: 5 }).model.field('P.ONCE.NR')!.value;
    expect(a).toBe(b);
    const sim = semanticsSim();
    sim.write(ONCE + 3, 1, 0x77);
    sim.write(0x101a, 2, 0x1111);
    sim.reset('soft');
    expect(sim.read(ONCE + 3, 1).value).toBe(0x77);
    expect(sim.read(0x101a, 2).value).toBe(0xbeef);
    sim.reset('power-on');
    expect(sim.read(ONCE + 3, 1).value).toBe(0);
  });
});

describe('interrupt fields', () => {
  it('level stickybit latches until cleared; the input re-sets it on the next tick (precedence sw)', () => {
    const sim = semanticsSim();
    const m = sim.model;
    const lvl = m.field('P.INT.LVL')!;
    m.hwWrite(lvl, 1);
    expect(lvl.value).toBe(1);
    m.hwWrite(lvl, 0);
    expect(lvl.value).toBe(1); // sticky
    sim.write(INT, 4, 1); // woclr
    expect(lvl.value).toBe(0);
    m.hwWrite(lvl, 1);
    sim.write(INT, 4, 1);
    expect(lvl.value).toBe(0); // software wins within the access
    sim.tick(1);
    expect(lvl.value).toBe(1); // the still-asserted input sets it again
  });

  it('precedence hw: an asserted input wins over the clearing write at once', () => {
    const sim = semanticsSim();
    const hwp = sim.model.field('P.INT.HWP')!;
    sim.model.hwWrite(hwp, 1);
    sim.write(INT, 4, 1 << 12);
    expect(hwp.value).toBe(1);
  });

  it('edges: posedge on 0→1, negedge on 1→0, bothedge on either', () => {
    const sim = semanticsSim();
    const m = sim.model;
    const [pos, neg, both] = ['POS', 'NEG', 'BOTH'].map((n) => m.field(`P.INT.${n}`)!);
    for (const f of [pos!, neg!, both!]) m.hwWrite(f, 1);
    expect([pos!.value, neg!.value, both!.value]).toEqual([1, 0, 1]);
    sim.write(INT, 4, 0b1110);
    expect([pos!.value, neg!.value, both!.value]).toEqual([0, 0, 0]);
    for (const f of [pos!, neg!, both!]) m.hwWrite(f, 0);
    expect([pos!.value, neg!.value, both!.value]).toEqual([0, 1, 1]);
  });

  it('sticky keeps the whole first value; nonsticky follows its input', () => {
    const sim = semanticsSim();
    const m = sim.model;
    const stk = m.field('P.INT.STK')!;
    m.hwWrite(stk, 0b0101);
    m.hwWrite(stk, 0b0011);
    expect(stk.value).toBe(0b0101);
    const non = m.field('P.INT.NON')!;
    m.hwWrite(non, 0b1001);
    expect(non.value).toBe(0b1001);
    m.hwWrite(non, 0b0010);
    expect(non.value).toBe(0b0010);
  });

  it('the peripheral line is OR(value & enable, value & ~mask) and raises an event on each change', () => {
    const sim = semanticsSim();
    const lines: boolean[] = [];
    sim.onEvent((e) => e.kind === 'irq' && lines.push(e.irq!.level));
    const m = sim.model;
    sim.write(EN, 4, 0b10); // E0 = 0, M = 1 (NON masked)
    m.hwWrite(m.field('P.INT.LVL')!, 1);
    m.hwWrite(m.field('P.INT.NON')!, 1);
    sim.tick(1);
    expect(lines).toEqual([]);
    sim.write(EN, 4, 0b11); // enable LVL
    sim.write(EN, 4, 0b00); // disable LVL, unmask NON
    m.hwWrite(m.field('P.INT.LVL')!, 0);
    sim.write(INT, 4, 1);
    m.hwWrite(m.field('P.INT.NON')!, 0);
    sim.tick(1);
    expect(lines).toEqual([true, false]);
  });
});

describe('counters', () => {
  it('increment by incr with overflow, saturate with threshold', () => {
    const sim = semanticsSim();
    const c = sim.model.field('P.CNT.C')!;
    c.value = 250;
    const step = sim.model.count(c, 2);
    expect(step).toMatchObject({ value: 0, overflow: true });
    const s = sim.model.field('P.CNT.S')!;
    s.value = 99;
    expect(sim.model.thresholds(s).incr).toBe(false);
    sim.model.count(s, 1);
    expect(sim.model.thresholds(s).incr).toBe(true);
    sim.model.count(s, 500);
    expect(s.value).toBe(200);
  });
});

describe('fault injection in the model', () => {
  it('stuck bits force read values; bus-error addresses answer BUS_ERROR', () => {
    const sim = semanticsSim();
    sim.model.stuckBits.set(0x1000, { mask: 0x01, value: 0x01 });
    sim.model.busErrorAddresses.add(0x1010);
    expect(sim.read(0x1000, 4).value & 1).toBe(1);
    expect(sim.read(EN, 4).status).toBe(Status.BUS_ERROR);
  });
});
