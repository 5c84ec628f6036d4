import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/importers/index.ts';
import { Simulator } from '../../../firmware-sim/simulator.ts';
import { VcdTracer } from '../../../firmware-sim/trace.ts';

/**
 * Hidden state in the behaviour language: a variable of a peripheral that no register holds (a
 * timer's internal counter), driven by task registers (`on: task REG` runs when a write sets a bit)
 * and counted in virtual ticks (`divide 1 << PSC.P`), with `on count` after each step.
 */
const BASE = 0x200;
const START = BASE;
const CAPTURE = BASE + 4;
const CC = BASE + 8;
const EVT = BASE + 12;
const PSC = BASE + 16;

const TIMER_BEHAVIOURS = `      - on: reset
        do: [hidden CNT width 16, hidden RUN width 1]
      - on: task START
        do: [set RUN 1]
      - on: task STOP
        do: [set RUN 0]
      - on: task CAPTURE
        do: [set CAP.V CNT]
      - on: tick
        do: [count CNT when RUN divide 1 << PSC.P, on count if CNT == CC.V then set EVT.E 1]
`;

function simFrom(behaviours: string): Simulator {
  const text = `spec: specdrive/hardware@1
board: b
revision: r
peripherals:
  T:
    base: ${BASE}
    irq: 4
    registers:
      START: { offset: 0, fields: { T: { bits: 0, access: w } } }
      CAPTURE: { offset: 4, fields: { T: { bits: 0, access: w } } }
      CC: { offset: 8, fields: { V: { bits: 15..0, access: rw } } }
      EVT: { offset: 12, fields: { E: { bits: 0, access: rw } } }
      PSC: { offset: 16, fields: { P: { bits: 3..0, access: rw } } }
      CAP: { offset: 20, fields: { V: { bits: 15..0, access: r } } }
      STOP: { offset: 24, fields: { T: { bits: 0, access: w } } }
    behaviours:
${behaviours}`;
  const imported = importText(text, 'b.yaml');
  if (!imported.value) throw new Error(JSON.stringify(imported.diagnostics));
  return new Simulator(imported.value, { sourceText: text });
}

const captured = (sim: Simulator): number => {
  sim.write(CAPTURE, 4, 1);
  return sim.read(BASE + 20, 4).value;
};

describe('hidden state driven by tasks', () => {
  it('counts only while started, once every 2^PSC ticks, and a capture copies it into a register', () => {
    const sim = simFrom(TIMER_BEHAVIOURS);
    expect(sim.diagnostics).toEqual([]);
    sim.write(PSC, 4, 2);
    sim.tick(40);
    expect(captured(sim)).toBe(0); // not started: the hidden RUN is 0
    sim.write(START, 4, 1);
    sim.tick(40);
    expect(captured(sim)).toBe(10);
    sim.write(BASE + 24, 4, 1); // STOP
    sim.tick(400);
    expect(captured(sim)).toBe(10);
  });

  it('a task runs on a write that sets a bit; writing 0 to it does nothing', () => {
    const sim = simFrom(TIMER_BEHAVIOURS);
    sim.write(PSC, 4, 0);
    sim.write(START, 4, 0);
    sim.tick(5);
    expect(captured(sim)).toBe(0);
    sim.write(START, 4, 1);
    sim.tick(5);
    expect(captured(sim)).toBe(5);
  });

  it('`on count` acts on the tick the counter reaches the compare value, not while it stays there', () => {
    const sim = simFrom(TIMER_BEHAVIOURS);
    sim.write(PSC, 4, 3); // one count every 8 ticks
    sim.write(CC, 4, 3);
    sim.write(START, 4, 1);
    const waited = sim.wait(EVT, 4, 1, 1, 1000);
    expect(waited).toMatchObject({ status: 0, elapsed: 24 });
    // Cleared by software while the counter still equals CC: not generated again.
    sim.write(EVT, 4, 0);
    sim.tick(7);
    expect(sim.read(EVT, 4).value).toBe(0);
  });

  it('wraps at its width, is zeroed by every reset, and has no address on the bus', () => {
    const sim = simFrom(TIMER_BEHAVIOURS);
    sim.write(PSC, 4, 0);
    sim.write(START, 4, 1);
    sim.tick(0x1_0003);
    expect(captured(sim)).toBe(3); // 16 bits wide
    sim.reset('soft');
    expect(sim.model.field('T.CNT')?.value).toBe(0);
    expect(sim.model.field('T.RUN')?.value).toBe(0);
    expect(sim.model.registerByPath('T.CNT')).toBeUndefined();
    expect(sim.model.registers.every((r) => r.address >= BASE)).toBe(true);
  });

  it('runs the same in virtual time however the ticks are split', () => {
    const whole = simFrom(TIMER_BEHAVIOURS);
    const split = simFrom(TIMER_BEHAVIOURS);
    for (const sim of [whole, split]) {
      sim.write(PSC, 4, 1);
      sim.write(START, 4, 1);
    }
    whole.tick(1001);
    for (let i = 0; i < 1001; i++) split.tick(1);
    expect(captured(split)).toBe(captured(whole));
    expect(captured(whole)).toBe(500);
  });

  it('is traced: a VCD scope of its own and JSONL changes under its path', () => {
    const sim = simFrom(TIMER_BEHAVIOURS);
    const dir = mkdtempSync(join(tmpdir(), 'sim-hidden-'));
    const vcd = new VcdTracer(join(dir, 't.vcd'), [{ name: 'd', model: sim.model, irqLines: sim.irqLines }]);
    sim.addTracer(vcd.forDevice('d'));
    const changes: string[] = [];
    sim.addTracer({ change: (t, fs, c) => void (fs.path === 'T.CNT' && changes.push(`${t}:${c.old}->${c.new}`)), close: () => undefined });
    sim.write(PSC, 4, 1);
    sim.write(START, 4, 1);
    sim.tick(4);
    vcd.close();
    const text = readFileSync(join(dir, 't.vcd'), 'utf8');
    expect(text).toMatch(/\$scope module T \$end\n\$scope module hidden \$end\n\$var wire 16 (\S+) CNT \$end\n\$var wire 1 \S+ RUN \$end\n\$upscope \$end/);
    const id = /\$var wire 16 (\S+) CNT/.exec(text)![1]!;
    expect(text).toContain(`#4\nb10 ${id}`);
    expect(changes).toEqual(['2:0->1', '4:1->2']);
  });
});
