import { describe, expect, it } from 'vitest';
import { compileSystemRdl, importSystemRdl, systemRdlImporter } from '../../../src/importers/systemrdl/index.ts';
import { importerFor } from '../../../src/importers/index.ts';
import type { Device, Field, Register } from '../../../src/ir/types.ts';

const compile = (text: string, options: Parameters<typeof compileSystemRdl>[2] = {}) => compileSystemRdl(text, '/virtual/main.rdl', options);
const where = (r: ReturnType<typeof compile>) => r.diagnostics.map((d) => `${d.code} ${d.span?.file.split('/').pop()}:${d.span?.line}:${d.span?.column}`);

function device(text: string, options: Parameters<typeof compileSystemRdl>[2] = {}): Device {
  const r = compile(text, options);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.value!.device!;
}
function reg(d: Device, path: string): Register {
  const found = d.peripherals.flatMap((p) => p.registers).find((r) => r.path === path);
  if (found?.kind !== 'register') throw new Error(`no register ${path}`);
  return found;
}
function field(d: Device, path: string): Field {
  const r = reg(d, path.slice(0, path.lastIndexOf('.')));
  return r.fields.find((f) => f.path === path)!;
}

describe('preprocessor', () => {
  const files: Record<string, string> = {
    '/inc/defs.rdl': '`define W 8\n`include "more.rdl"\n',
    '/inc/more.rdl': 'reg shared_r { field {} x[`W]; };\n',
    '/inc/bad.rdl': 'reg oops { field { nope = 1; } y; };\n',
    '/inc/a.rdl': '`include "b.rdl"\n',
    '/inc/b.rdl': '`include "a.rdl"\n',
  };
  const readFile = (p: string): string | undefined => files[p];

  it('expands `define with arguments and defaults, `ifdef/`elsif/`else, `undef and `include through include paths', () => {
    const d = device(
      [
        '`include "defs.rdl"',
        '`define F(name, w = 4) field {} name[w];',
        '`ifdef W',
        'addrmap top { reg { `F(a) `F(b, `W) } r1; shared_r r2;',
        '`undef W',
        '`ifndef W',
        '  reg { `F(c, 2) } r3;',
        '`elsif NEVER',
        '  garbage',
        '`else',
        '  garbage',
        '`endif',
        '};',
        '`endif',
      ].join('\n'),
      { includePaths: ['/inc'], readFile },
    );
    expect(reg(d, 'top.r1').fields.map((f) => [f.name, f.lsb, f.width])).toEqual([
      ['a', 0, 4],
      ['b', 4, 8],
    ]);
    expect(reg(d, 'top.r2').fields.map((f) => f.width)).toEqual([8]);
    expect(reg(d, 'top.r3').fields.map((f) => f.width)).toEqual([2]);
  });

  it('locates errors inside included files and inside macro uses', () => {
    const inc = compile('`include "bad.rdl"\naddrmap top { oops o; };', { includePaths: ['/inc'], readFile });
    expect(where(inc)).toEqual(['rdl/unknown-property bad.rdl:1:20']);
    const macro = compile('`define BAD field { sw = 5; } f;\naddrmap top { reg {\n  `BAD } r1; };');
    expect(where(macro)).toEqual(['rdl/property-type main.rdl:3:3']);
  });

  it('detects include cycles across files', () => {
    const r = compile('`include "a.rdl"\naddrmap top { reg { field {} f; } r1; };', { includePaths: ['/inc'], readFile });
    // main → a → b → a: the include in b closes the loop.
    expect(where(r)).toEqual(['rdl/include-cycle b.rdl:1:10']);
  });
});

describe('parser recovery', () => {
  it('reports several syntax errors in one run, resynchronising at ; and }', () => {
    const r = compile(
      ['addrmap top {', '  reg { field {} a[4] = ; } r1;', '  reg { field {} b[4]; } r2 @ ;', '  reg { field { sw = ; } c; } r3;', '};'].join('\n'),
    );
    expect(where(r)).toEqual(['rdl/syntax main.rdl:2:25', 'rdl/syntax main.rdl:3:31', 'rdl/syntax main.rdl:4:22']);
    expect(r.value?.device).toBeUndefined();
  });
});

describe('elaboration', () => {
  it('applies defaults lexically, then local assignments, then dynamic assignments from outside', () => {
    const d = device(`
      field outside_f { };
      addrmap top {
        default sw = r;
        default hw = w;
        reg {
          default woclr;
          field { sw = rw; } a;
          outside_f b;
          field { sw = rw; onwrite = wot; } c;
        } r1;
        r1.a->reset = 1;
        r1.b->sw = w;
      };`);
    expect(field(d, 'top.r1.a').access).toEqual({ sw: 'rw', hw: 'w', onWrite: 'woclr' });
    expect(field(d, 'top.r1.a').reset).toBe(1n);
    // Defined outside the addrmap: its defaults do not reach it; the dynamic assignment does.
    expect(field(d, 'top.r1.b').access).toEqual({ sw: 'w', hw: 'rw' });
    expect(field(d, 'top.r1.c').access.onWrite).toBe('wot');
  });

  it('evaluates parameters, overrides and expressions with widths', () => {
    const d = device(`
      reg r_t #(longint unsigned W = 8, boolean RO = false) {
        field { sw = RO ? r : rw; } f[W] = {2'b10, 2'b01} + (W > 8 ? 1 : 0);
      };
      addrmap top { r_t a; r_t #(.W(16), .RO(true)) b; };`);
    expect(field(d, 'top.a.f')).toMatchObject({ width: 8, reset: 0b1001n, access: { sw: 'rw' } });
    expect(field(d, 'top.b.f')).toMatchObject({ width: 16, reset: 0b1010n, access: { sw: 'r' } });
  });

  it('allocates addresses in regalign, compact and fullalign modes, with @, += and %=', () => {
    const d = device(`
      addrmap top {
        reg { regwidth = 64; field {} f; } a;        // 0x0
        reg { regwidth = 16; field {} f; } b;        // regalign: 0x8
        reg { field {} f; } c[3] += 0x10;            // 0xC, stride 0x10
        reg { field {} f; } d %= 0x100;              // 0x100
        reg { field {} f; } e @ 0x200;
        regfile { reg { field {} f; } x; reg { field {} f; } y; } rf[2];   // regalign: 0x208
      };`);
    const p = d.peripherals[0]!;
    expect(p.registers.map((n) => [n.name, n.offset, n.dim?.stride ?? null])).toEqual([
      ['a', 0, null],
      ['b', 8, null],
      ['c', 0xc, 0x10],
      ['d', 0x100, null],
      ['e', 0x200, null],
    ]);
    // A regfile directly in the top is a peripheral of its own.
    expect(d.peripherals.map((x) => [x.name, x.baseAddress, x.dim?.stride ?? null])).toEqual([
      ['top', 0, null],
      ['rf', 0x208, 8],
    ]);
    const compact = device(`addrmap top { addressing = compact;
      reg { regwidth = 8; field {} f[8]; } a; reg { regwidth = 32; field {} f; } b; reg { regwidth = 64; accesswidth = 16; field {} f; } c; };`);
    expect(compact.peripherals[0]!.registers.map((n) => n.offset)).toEqual([0, 4, 8]);
    const full = device(`addrmap top { addressing = fullalign;
      reg { field {} f; } a; reg { field {} f; } b[3]; reg { field {} f; } c; };`);
    expect(full.peripherals[0]!.registers.map((n) => n.offset)).toEqual([0, 0x10, 0x1c]);
  });

  it('picks the last uninstantiated addrmap as top, or the one asked for', () => {
    const text = 'addrmap inner { reg { field {} f; } r1; }; addrmap one { inner i; }; addrmap two { reg { field {} g; } r2; };';
    expect(device(text).name).toBe('two');
    expect(device(text, { top: 'one' }).peripherals.map((p) => p.name)).toEqual(['i']);
    expect(where(compile(text, { top: 'nope' }))).toEqual(['rdl/no-top main.rdl:1:1']);
  });
});

describe('mapping to the IR', () => {
  it('maps every access property of the semantics table', () => {
    const d = device(`
      addrmap top {
        reg {
          field { sw = rw; hw = r; rclr; } rc;
          field { sw = rw; hw = na; onread = rset; } rs;
          field { sw = rw; onwrite = wzc; } wz;
          field { sw = rw; woset; } ws;
          field { sw = w; hw = r; singlepulse; } go = 0;
          field { sw = rw; hw = rw; hwset; hwclr; precedence = hw; swmod; swacc; } hs;
          field { sw = rw1; hw = r; } once;
          field { sw = w1; hw = r; } wonce;
        } flags;
        reg {
          field { counter; incrvalue = 3; incrsaturate = 200; incrthreshold = 100; overflow; sw = r; hw = na; } up[8];
          field { counter; decrvalue = 2; decrsaturate; underflow; sw = r; hw = na; } down[8];
        } counters;
        reg { field { sw = rw; hw = na; } en; field { sw = rw; hw = na; } msk; } ctl;
        reg {
          field { intr; sw = rw; woclr; } lvl;
          field { posedge intr; sticky; sw = rw; woclr; } pe[2];
          field { nonsticky intr; sw = r; } ns;
        } irq;
        // From the addrmap: inside irq's body, its sibling ctl is not visible (only signals are).
        irq.lvl->enable = ctl.en;
        irq.pe->mask = ctl.msk;
      };`);
    const a = (p: string) => field(d, `top.${p}`).access;
    expect(a('flags.rc')).toEqual({ sw: 'rw', hw: 'r', onRead: 'rclr' });
    expect(a('flags.rs')).toEqual({ sw: 'rw', hw: 'na', onRead: 'rset' });
    expect(a('flags.wz')).toEqual({ sw: 'rw', hw: 'rw', onWrite: 'wzc' });
    expect(a('flags.ws')).toEqual({ sw: 'rw', hw: 'rw', onWrite: 'woset' });
    expect(a('flags.go')).toEqual({ sw: 'w', hw: 'r', singlePulse: true });
    expect(a('flags.hs')).toEqual({ sw: 'rw', hw: 'rw', hwSet: true, hwClr: true, precedence: 'hw', swMod: true, swAcc: true });
    expect(a('flags.once').sw).toBe('rw1');
    expect(a('flags.wonce').sw).toBe('w1');
    expect(a('counters.up').counter).toEqual({ incrValue: 3, incrSaturate: 200, incrThreshold: 100, overflow: true });
    expect(a('counters.down').counter).toEqual({ decrValue: 2, decrSaturate: true, underflow: true });
    expect(a('irq.lvl').interrupt).toEqual({ kind: 'level', sticky: 'stickybit', enable: 'top.ctl.en' });
    expect(a('irq.pe').interrupt).toEqual({ kind: 'posedge', sticky: 'sticky', mask: 'top.ctl.msk' });
    expect(a('irq.ns').interrupt).toEqual({ kind: 'level', sticky: 'nonsticky' });
  });

  it('makes child addrmaps/regfiles peripherals, deeper blocks clusters, and keeps arrays as dim', () => {
    const d = device(`
      regfile ch_rf { reg { field {} f; } cfg; reg { field {} f; } data[4]; };
      addrmap dma_t { ch_rf ch[2][3] += 0x40; };
      addrmap top { reg { field {} f; } id; dma_t dma @0x1000; dma_t dma2[2] @0x2000 += 0x1000; };`);
    expect(d.peripherals.map((p) => [p.name, p.baseAddress, p.dim?.count ?? null])).toEqual([
      ['top', 0, null],
      ['dma', 0x1000, null],
      ['dma2', 0x2000, 2],
    ]);
    const ch = d.peripherals[1]!.registers[0]!;
    expect(ch).toMatchObject({ kind: 'cluster', path: 'dma.ch', dim: { count: 6, stride: 0x40, indices: ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'] } });
    expect(ch.kind === 'cluster' && ch.children.map((c) => [c.name, c.offset, c.dim?.count ?? null])).toEqual([
      ['cfg', 0, null],
      ['data', 4, 4],
    ]);
    expect(reg(d, 'top.id').offset).toBe(0);
  });

  it('carries enums from encode and register resets from field resets', () => {
    const d = device(`enum mode_e { OFF = 0 { desc = "off"; }; ON = 1; FAST = 3; };
      addrmap top { reg { field { encode = mode_e; } m[2] = 1; field {} x[4]; field {} y[8:8] = 1; } r1; };`);
    expect(field(d, 'top.r1.m').enums?.[0]?.values.map((v) => [v.name, v.value])).toEqual([
      ['OFF', 0],
      ['ON', 1],
      ['FAST', 3],
    ]);
    expect(reg(d, 'top.r1')).toMatchObject({ resetValue: 0x101n, resetMask: 0x103n });
  });

  it('is the registered importer for .rdl files and never throws on garbage', () => {
    expect(importerFor('x.rdl', '')).toBe(systemRdlImporter);
    for (const junk of ['', '}}}}', 'addrmap {', '`', '"', 'addrmap a { reg { field {} f[99999999999999999999]; } r1; };', '\u0000\u0001']) {
      const r = importSystemRdl(junk, 'junk.rdl');
      expect(r.value).toBeUndefined();
      expect(r.diagnostics.some((x) => x.severity === 'error' && x.span && x.span.line >= 1)).toBe(true);
    }
  });
});
