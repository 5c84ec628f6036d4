import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/importers/index.ts';
import { importHjson, mubiValue } from '../../../src/importers/hjson/index.ts';
import type { Device, Field, Peripheral, Register } from '../../../src/ir/types.ts';
import { validateDevice } from '../../../src/validate/index.ts';

const dataDirs = ['../shared/data/hjson/opentitan', '../shared/data/ip-revisions/opentitan'];
const dataFiles = dataDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.hjson'))
    .sort()
    .map((f) => join(dir, f)),
);

/**
 * Independent expectations, computed in Python from hjson-py's parse of each file (not from our
 * parser or IR): the register entries reggen lays out, in order, with their offsets, and the field
 * count. It follows reggen's documented layout rules directly on the raw data: 4-byte steps,
 * interrupt/alert registers first, skipto/reserved, windows aligned to their power-of-two size,
 * multiregs (compact packing when a single field leaves room for several copies).
 */
const oracleScript = String.raw`
import hjson, json, math, sys
def num(x, params):
    s = str(x).strip()
    try: return int(s, 0)
    except ValueError: return eval(s, {"__builtins__": {}}, params)
def truthy(x): return str(x).lower() == 'true'
out = {}
for f in sys.argv[1:]:
    d = hjson.load(open(f))
    width = int(str(d.get('regwidth', 32)), 0)
    params = {}
    for p in d.get('param_list', []):
        try: params[p['name']] = int(str(p['default']), 0)
        except Exception: pass
    regs, fields, off = [], 0, 0
    def add(name, n_fields):
        global off, fields
        regs.append([name, off]); fields += n_fields; off += width // 8
    ints, alerts = d.get('interrupt_list', []), d.get('alert_list', [])
    if ints and not truthy(d.get('no_auto_intr_regs', False)):
        for n in ('INTR_STATE', 'INTR_ENABLE', 'INTR_TEST'): add(n, len(ints))
    if alerts and not truthy(d.get('no_auto_alert_regs', False)): add('ALERT_TEST', len(alerts))
    for e in d['registers']:
        if 'skipto' in e: off = num(e['skipto'], params)
        elif 'reserved' in e: off += num(e['reserved'], params) * (width // 8)
        elif 'window' in e:
            w = e['window']; size = num(w['items'], params) * (width // 8)
            po2 = 1 << (size - 1).bit_length()
            off = (off + po2 - 1) // po2 * po2
            regs.append([w['name'], off]); fields += 1; off += size
        elif 'multireg' in e:
            m = e['multireg']; count = num(m['count'], params)
            single = len(m['fields']) == 1 and not truthy(m.get('regwen_multi', False))
            compact = truthy(m['compact']) if 'compact' in m else single
            per = width // (num(str(m['fields'][0]['bits']).split(':')[0], params) + 1) if compact else 1
            if per == 1:
                regs.append([m['name'], off]); fields += len(m['fields']); off += count * (width // 8)
            else:
                n = math.ceil(count / per)
                for k in range(n): add(m['name'] + ('_%d' % k if n > 1 else ''), 1)
        else:
            add(e['name'], len(e['fields']))
    out[f] = {'registers': regs, 'fields': fields}
json.dump(out, sys.stdout)
`;

function pythonLayout(files: readonly string[]): Record<string, { registers: [string, number][]; fields: number }> {
  return JSON.parse(execFileSync('python3', ['-c', oracleScript, ...files], { encoding: 'utf8' })) as Record<
    string,
    { registers: [string, number][]; fields: number }
  >;
}

function load(file: string): Device {
  const result = importText(readFileSync(file, 'utf8'), file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, file).toEqual([]);
  return result.value!;
}

function registersOf(device: Device): Register[] {
  return device.peripherals.flatMap((p) => p.registers.filter((n): n is Register => n.kind === 'register'));
}

function reg(device: Device, name: string): Register {
  const found = registersOf(device).find((r) => r.name === name);
  if (!found) throw new Error(`${device.name} has no register ${name}`);
  return found;
}

function field(register: Register, name: string): Field {
  const found = register.fields.find((f) => f.name === name);
  if (!found) throw new Error(`${register.path} has no field ${name}`);
  return found;
}

describe('OpenTitan reggen importer on the real files', () => {
  const expected = pythonLayout(dataFiles);

  it.each(dataFiles)('%s: zero errors, same registers, offsets and field count as the independent layout', (file) => {
    const device = load(file);
    expect(device.sourceFormat).toBe('hjson');
    expect(device.peripherals).toHaveLength(1);
    const layout = expected[file]!;
    const registers = registersOf(device);
    expect(registers.map((r) => [r.name, r.offset])).toEqual(layout.registers);
    expect(registers.reduce((n, r) => n + r.fields.length, 0)).toBe(layout.fields);
  });

  it('counts registers and fields over all 23 files', () => {
    const totals = dataFiles.map(load).reduce(
      (acc, d) => {
        const regs = registersOf(d);
        return { registers: acc.registers + regs.length, fields: acc.fields + regs.reduce((n, r) => n + r.fields.length, 0) };
      },
      { registers: 0, fields: 0 },
    );
    const fromOracle = Object.values(expected).reduce((acc, e) => ({ registers: acc.registers + e.registers.length, fields: acc.fields + e.fields }), {
      registers: 0,
      fields: 0,
    });
    expect(totals).toEqual(fromOracle);
    expect(totals.registers).toBeGreaterThan(400);
  });
});

describe('reggen semantics', () => {
  const uart = load('../shared/data/hjson/opentitan/uart.hjson');

  it('inserts INTR_STATE at 0 with one field per interrupt, then INTR_ENABLE, INTR_TEST and ALERT_TEST', () => {
    const state = reg(uart, 'INTR_STATE');
    expect(state.offset).toBe(0);
    expect(state.fields.map((f) => [f.name, f.lsb, f.width])).toEqual([
      ['tx_watermark', 0, 1],
      ['rx_watermark', 1, 1],
      ['tx_done', 2, 1],
      ['rx_overflow', 3, 1],
      ['rx_frame_err', 4, 1],
      ['rx_break_err', 5, 1],
      ['rx_timeout', 6, 1],
      ['rx_parity_err', 7, 1],
      ['tx_empty', 8, 1],
    ]);
    // Event interrupts are rw1c and latch; "status" interrupts are read-only and follow their source.
    expect(field(state, 'tx_done').access).toMatchObject({
      sw: 'rw',
      onWrite: 'woclr',
      hw: 'rw',
      interrupt: { sticky: 'stickybit', enable: 'uart.INTR_ENABLE.tx_done' },
    });
    expect(field(state, 'tx_watermark').access).toMatchObject({ sw: 'r', hw: 'rw', interrupt: { sticky: 'nonsticky' } });
    expect(field(state, 'tx_watermark').reset).toBe(1n); // `default: "1"`
    expect(state.resetValue).toBe(0x101n);
    expect([reg(uart, 'INTR_ENABLE').offset, reg(uart, 'INTR_TEST').offset, reg(uart, 'ALERT_TEST').offset, reg(uart, 'CTRL').offset]).toEqual([4, 8, 12, 16]);
    expect(field(reg(uart, 'INTR_ENABLE'), 'rx_timeout').access).toEqual({ sw: 'rw', hw: 'r' });
    expect(field(reg(uart, 'INTR_TEST'), 'rx_timeout').access).toEqual({ sw: 'w', hw: 'r' });
    expect(reg(uart, 'ALERT_TEST').fields.map((f) => f.name)).toEqual(['fatal_fault']);
    expect(uart.peripherals[0]!.interrupts.map((i) => i.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads fields, enums, resets and locations from the file', () => {
    const ctrl = reg(uart, 'CTRL');
    expect(field(ctrl, 'NCO')).toMatchObject({ lsb: 16, width: 16, access: { sw: 'rw', hw: 'r' } });
    const rxblvl = field(ctrl, 'RXBLVL');
    expect(rxblvl.enums?.[0]?.values.map((v) => [v.name, v.value])).toEqual([
      ['break2', 0],
      ['break4', 1],
      ['break8', 2],
      ['break16', 3],
    ]);
    expect(rxblvl.enums?.[0]?.values[0]?.path).toBe('uart.CTRL.RXBLVL.break2');
    expect(ctrl.span).toMatchObject({ file: '../shared/data/hjson/opentitan/uart.hjson', line: 186, column: 13 });
    expect(uart.version).toBe('2.1.0');
  });

  it('keeps a multireg with whole-register copies as a register array (aes KEY_SHARE0, count NumRegsKey = 8)', () => {
    const aes = load('../shared/data/hjson/opentitan/aes.hjson');
    const key = reg(aes, 'KEY_SHARE0');
    expect(key.dim).toEqual({ count: 8, stride: 4, namePattern: 'KEY_SHARE0_%s' });
    expect(reg(aes, 'KEY_SHARE1').offset).toBe(key.offset + 32);
    // adc_ctrl: a 4-field multireg is never packed.
    const adc = load('../shared/data/hjson/opentitan/adc_ctrl.hjson');
    const filter = reg(adc, 'adc_chn0_filter_ctl');
    expect(filter.dim?.count).toBe(8);
    expect(filter.fields.map((f) => f.name)).toEqual(['min_v', 'cond', 'max_v', 'EN']);
  });

  it('packs compact multiregs as reggen does (usbdev ep_out_enable in one register, spi_device CMD_FILTER over eight)', () => {
    const usbdev = load('../shared/data/hjson/opentitan/usbdev.hjson');
    const enable = reg(usbdev, 'ep_out_enable');
    expect(enable.dim).toBeUndefined();
    expect(enable.fields).toHaveLength(1);
    expect(enable.fields[0]).toMatchObject({ name: 'enable', lsb: 0, width: 1, dim: { count: 12, stride: 1, namePattern: 'enable_%s' } });
    expect(enable.resetMask).toBe(0xfffn);
    const spi = load('../shared/data/hjson/opentitan/spi_device.hjson');
    const filters = registersOf(spi).filter((r) => r.name.startsWith('CMD_FILTER_'));
    expect(filters.map((r) => r.name)).toEqual(Array.from({ length: 8 }, (_, i) => `CMD_FILTER_${i}`));
    expect(filters.map((r) => r.offset - filters[0]!.offset)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(filters[1]!.fields[0]?.dim?.indices?.slice(0, 2)).toEqual(['32', '33']);
    // TPM_ACCESS: 5 copies of an 8-bit field, 4 per register → TPM_ACCESS_0 (4 copies) and _1 (1 copy).
    expect(reg(spi, 'TPM_ACCESS_0').fields[0]?.dim).toMatchObject({ count: 4, stride: 8 });
    expect(reg(spi, 'TPM_ACCESS_1').fields[0]?.dim).toMatchObject({ count: 1, stride: 8, indices: ['4'] });
    expect(reg(spi, 'TPM_ACCESS_1').offset).toBe(reg(spi, 'TPM_ACCESS_0').offset + 4);
  });

  it('places windows on their power-of-two boundary as buffer address blocks (hmac MSG_FIFO after skipto 0x1000)', () => {
    const hmac = load('../shared/data/hjson/opentitan/hmac.hjson');
    const fifo = reg(hmac, 'MSG_FIFO');
    expect(fifo).toMatchObject({ offset: 0x1000, dim: { count: 1024, stride: 4 } });
    expect(fifo.fields[0]).toMatchObject({ name: 'DATA', lsb: 0, width: 32, access: { sw: 'w' } });
    expect(hmac.peripherals[0]!.addressBlocks).toContainEqual({ offset: 0x1000, size: 4096, usage: 'buffer' });
    // spi_device ingress_buffer: 112 words = 448 bytes, aligned to 512 after the egress buffer ends at 0x1d40.
    const spi = load('../shared/data/hjson/opentitan/spi_device.hjson');
    expect(reg(spi, 'egress_buffer').offset).toBe(0x1000);
    expect(reg(spi, 'ingress_buffer').offset).toBe(0x1e00);
  });

  it('honours skipto (dma INTR_SRC_WR_VAL at 0x124, rv_timer INTR_ENABLE0 at 0x100)', () => {
    const dma = load('../shared/data/hjson/opentitan/dma.hjson');
    expect(reg(dma, 'INTR_SRC_WR_VAL').offset).toBe(0x124);
    const timer = load('../shared/data/hjson/opentitan/rv_timer.hjson');
    // no_auto_intr_regs: the file writes its own interrupt registers.
    expect(registersOf(timer)[0]!.name).toBe('ALERT_TEST');
    expect(reg(timer, 'CTRL').offset).toBe(4);
    expect(reg(timer, 'INTR_ENABLE0').offset).toBe(0x100);
    expect(reg(timer, 'CFG0').offset).toBe(0x10c);
  });

  it('resolves parameterised bit ranges from param_list defaults', () => {
    const adc = load('../shared/data/hjson/opentitan/adc_ctrl.hjson');
    const wakeup = reg(adc, 'adc_wakeup_ctl');
    expect(field(wakeup, 'MATCH_EN')).toMatchObject({ lsb: 0, width: 8 }); // NumAdcFilter-1:0, NumAdcFilter = 8
    expect(field(wakeup, 'TRANS_EN')).toMatchObject({ lsb: 8, width: 1 }); // NumAdcFilter:NumAdcFilter
    const usbdev = load('../shared/data/hjson/opentitan/usbdev.hjson');
    const found = registersOf(usbdev)
      .flatMap((r) => r.fields)
      .find((f) => f.lsb === 16 && f.width === 12);
    expect(found?.path).toBeDefined(); // NEndpoints+15:16 with NEndpoints = 12
  });

  it('gives mubi fields the multi-bit boolean reset (dma RANGE_REGWEN resval true → 0x6)', () => {
    const dma = load('../shared/data/hjson/opentitan/dma.hjson');
    expect(field(reg(dma, 'RANGE_REGWEN'), 'regwen')).toMatchObject({ reset: 6n, access: { sw: 'rw', onWrite: 'wzc' } });
    expect([mubiValue(true, 4), mubiValue(false, 4), mubiValue(true, 8), mubiValue(true, 16), mubiValue(false, 12)]).toEqual([0x6, 0x9, 0x96, 0x9696, 0x969]);
  });
});

/** A small reggen file around one register, for semantics the real files do not cover. */
function single(registerBody: string, extra = ''): { device: Device | undefined; diagnostics: ReturnType<typeof importHjson>['diagnostics'] } {
  const text = `{\n  name: "t"\n  ${extra}\n  registers: [\n${registerBody}\n  ]\n}\n`;
  const result = importHjson(text, 'inline.hjson');
  return { device: result.value, diagnostics: result.diagnostics };
}

describe('reggen swaccess and hwaccess mapping', () => {
  const cases: [string, Partial<Field['access']>][] = [
    ['ro', { sw: 'r' }],
    ['rw', { sw: 'rw' }],
    ['wo', { sw: 'w' }],
    ['rc', { sw: 'r', onRead: 'rclr' }],
    ['rw1c', { sw: 'rw', onWrite: 'woclr' }],
    ['rw1s', { sw: 'rw', onWrite: 'woset' }],
    ['rw0c', { sw: 'rw', onWrite: 'wzc' }],
    ['r0w1c', { sw: 'w', onWrite: 'woclr' }],
    ['none', { sw: 'na' }],
  ];
  it.each(cases)('swaccess %s', (sw, access) => {
    const { device, diagnostics } = single(`{ name: "R", desc: "r", swaccess: "${sw}", hwaccess: "hrw", fields: [{ bits: "3:0" }] }`);
    expect(diagnostics).toEqual([]);
    expect(registersOf(device!)[0]!.fields[0]!.access).toEqual({ ...access, hw: 'rw' });
  });

  it.each([
    ['hro', 'r'],
    ['hrw', 'rw'],
    ['hwo', 'w'],
    ['none', 'na'],
  ])('hwaccess %s', (hw, expected) => {
    const { device } = single(`{ name: "R", desc: "r", swaccess: "rw", hwaccess: "${hw}", fields: [{ bits: "0" }] }`);
    expect(registersOf(device!)[0]!.fields[0]!.access.hw).toBe(expected);
  });

  it('rejects swaccess values reggen does not know, with a hint', () => {
    for (const bad of ['w1c', 'rwc', 'rws']) {
      const { device, diagnostics } = single(`{ name: "R", desc: "r", swaccess: "${bad}", fields: [{ bits: "0" }] }`);
      expect(device).toBeUndefined();
      expect(diagnostics[0]).toMatchObject({ code: 'hjson/bad-swaccess', span: { line: 5, column: 35 } });
      expect(diagnostics[0]?.hint).toMatch(/did you mean/);
    }
  });

  it('takes field resets from resval, the register resval, 0, or none for hwext and "x"', () => {
    const { device } = single(
      [
        '{ name: "A", desc: "a", swaccess: "rw", resval: "0x1234", fields: [{ bits: "7:0", name: "LO", desc: "l" }, { bits: "15:8", name: "HI", desc: "h" }] }',
        '{ name: "B", desc: "b", swaccess: "ro", hwaccess: "hwo", hwext: "true", fields: [{ bits: "7:0", name: "V", desc: "v" }] }',
        '{ name: "C", desc: "c", swaccess: "rw", fields: [{ bits: "7:0", name: "V", desc: "v" }, { bits: "8", name: "X", desc: "x", resval: "x" }] }',
      ].join('\n'),
    );
    const [a, b, c] = registersOf(device!);
    expect(a!.fields.map((f) => f.reset)).toEqual([0x34n, 0x12n]);
    expect([a!.resetValue, a!.resetMask]).toEqual([0x1234n, 0xffffn]);
    expect(b!.fields[0]!.reset).toBeUndefined();
    expect(b!.resetMask).toBe(0n);
    expect(c!.fields.map((f) => f.reset)).toEqual([0n, undefined]);
    expect(c!.resetMask).toBe(0xffn);
  });

  it('uses reggen default field names and reserves space with `reserved`', () => {
    const { device } = single(
      [
        '{ name: "A", desc: "a", swaccess: "rw", fields: [{ bits: "0" }] }',
        '{ reserved: "2" }',
        '{ name: "B", desc: "b", swaccess: "rw", fields: [{ bits: "0" }, { bits: "1" }] }',
      ].join('\n'),
    );
    const [a, b] = registersOf(device!);
    expect(a!.fields[0]!.name).toBe('A');
    expect(b!.offset).toBe(12);
    expect(b!.fields.map((f) => f.name)).toEqual(['field1', 'field2']);
  });

  it('warns about unknown keys without failing', () => {
    const { device, diagnostics } = single('{ name: "A", desc: "a", swaccess: "rw", colour: "red", fields: [{ bits: "0", shade: 1 }] }');
    expect(device).toBeDefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.span?.line])).toEqual([
      ['hjson/unknown-key', 'warning', 5],
      ['hjson/unknown-key', 'warning', 5],
    ]);
  });
});

describe('malformed reggen files', () => {
  const dir = 'test/fixtures/hjson-bad';
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.hjson'))
    .sort();

  it('has a corpus of bad inputs', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  // Each fixture states its expected diagnostic on its first line: `// expect: CODE LINE:COL`.
  it.each(fixtures)('%s gives its located, coded error and no device', (name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const m = /^\/\/ expect: (\S+) (\d+):(\d+)/.exec(text);
    if (!m) throw new Error(`${name} does not state its expected error`);
    const result = importText(text, file);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`)).toContain(
      `${m[1]} ${m[2]}:${m[3]}`,
    );
    for (const d of result.diagnostics) expect(d.span?.file).toBe(file);
  });

  it('never throws on damaged copies of a real file', () => {
    const text = readFileSync('../shared/data/hjson/opentitan/spi_host.hjson', 'utf8');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 300; i++) {
      const at = random(text.length);
      const damaged = text.slice(0, at) + ['', '{', '}', ']', '"', ':', 'x', '-1'][random(8)] + text.slice(at + random(40));
      const result = importHjson(damaged, 'damaged.hjson');
      if (result.value === undefined) {
        failures++;
        expect(result.diagnostics.some((d) => d.severity === 'error' && d.span !== undefined)).toBe(true);
      }
    }
    expect(failures).toBeGreaterThan(50);
  });
});

describe('format selection', () => {
  it('picks the hjson importer by extension', () => {
    const result = importText('name: "x"\nregisters: []\n', 'x.hjson');
    expect(result.value?.sourceFormat).toBe('hjson');
  });
  it('rejects a document whose root is not an object', () => {
    const result = importHjson('[1, 2]', 'list.hjson');
    expect(result.diagnostics[0]).toMatchObject({ code: 'hjson/invalid-type', span: { line: 1, column: 1 } });
  });
  it('names the peripheral after the block', () => {
    const p: Peripheral | undefined = importHjson('name: "gpio"\nregisters: []\n', 'a.hjson').value?.peripherals[0];
    expect(p?.name).toBe('gpio');
  });
});

describe('reggen forms of current OpenTitan files', () => {
  it('reads booleans as reggen does: "False", "TRUE", "1" and "0" as well as true/false (rram_macro hwext: "False")', () => {
    const { device, diagnostics } = single(
      [
        '{ name: "A", desc: "a", swaccess: "rw", hwaccess: "hro", hwext: "False", fields: [{ bits: "3:0", resval: "5" }] }',
        '{ name: "B", desc: "b", swaccess: "ro", hwaccess: "hwo", hwext: "TRUE", fields: [{ bits: "3:0" }] }',
        '{ name: "C", desc: "c", swaccess: "rw", hwaccess: "hro", hwext: "0", fields: [{ bits: "3:0" }] }',
      ].join(',\n'),
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [a, b, c] = registersOf(device!);
    expect([a!.fields[0]!.reset, b!.fields[0]!.reset, c!.fields[0]!.reset]).toEqual([5n, undefined, 0n]);
    const bad = single('{ name: "A", desc: "a", swaccess: "rw", hwext: "maybe", fields: [{ bits: "0" }] }');
    expect(bad.diagnostics.map((d) => d.code)).toContain('hjson/invalid-type');
  });

  it('encodes mubi fields up to 32 bits (rv_dm LATE_DEBUG_ENABLE) and refuses widths that are not whole nibbles', () => {
    const { device, diagnostics } = single(
      '{ name: "LATE", desc: "l", swaccess: "rw", hwaccess: "hro", fields: [{ bits: "31:0", mubi: true, resval: false }] }',
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(registersOf(device!)[0]!.fields[0]!.reset).toBe(0x69696969n);
    expect(mubiValue(true, 32)).toBe(0x96969696);
    const odd = single('{ name: "ODD", desc: "o", swaccess: "rw", fields: [{ bits: "5:0", mubi: true, resval: true }] }');
    expect(odd.diagnostics.map((d) => d.code)).toContain('hjson/bad-mubi');
  });

  it('puts each bus interface of a block in its own address space, so their registers at 0 do not overlap (lc_ctrl core + dmi)', () => {
    const text = [
      '{',
      '  name: "two"',
      '  registers: {',
      '    core: [ { name: "CTRL", desc: "c", swaccess: "rw", fields: [{ bits: "0" }] } ]',
      '    dmi: [ { name: "DATA", desc: "d", swaccess: "rw", fields: [{ bits: "31:0" }] } ]',
      '  }',
      '}',
    ].join('\n');
    const device = importHjson(text, 'two.hjson').value!;
    expect(device.peripherals.map((p) => [p.name, p.addressSpace, p.baseAddress])).toEqual([
      ['two', 'core', 0],
      ['two_dmi', 'dmi', 0],
    ]);
    expect(validateDevice(device).filter((d) => d.severity === 'error')).toEqual([]);
    // The same two blocks on one bus are still an overlap.
    const oneBus = { ...device, peripherals: device.peripherals.map((p) => ({ ...p, addressSpace: undefined })) };
    expect(validateDevice(oneBus).map((d) => d.code)).toContain('validate/peripheral-overlap');
  });
});

describe('multireg copies with their own reset (current OpenTitan i3c)', () => {
  const block = (body: string): ReturnType<typeof importHjson> =>
    importHjson(`{\n  name: "t"\n  param_list: [{ name: "N", default: "3" }]\n  registers: [\n${body}\n  ]\n}\n`, 'inline.hjson');

  it('evaluates a resval written in multireg_idx for each copy, as reggen does, in scalar registers NAME_i', () => {
    const result = block(
      '{ multireg: { name: "CFG", desc: "c", count: "N", cname: "T", swaccess: "rw", fields: [ { bits: "9:0", name: "MAX", resval: "0x20f + (multireg_idx * 0x40)" }, { bits: "25:16", name: "MIN", resval: "0x1d0" } ] } }',
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const registers = registersOf(result.value!);
    expect(registers.map((r) => [r.name, r.offset, r.fields.map((f) => f.reset)])).toEqual([
      ['CFG_0', 0, [0x20fn, 0x1d0n]],
      ['CFG_1', 4, [0x24fn, 0x1d0n]],
      ['CFG_2', 8, [0x28fn, 0x1d0n]],
    ]);
  });

  it('refuses multireg_idx outside a multireg, in a compact multireg, and a copy whose reset does not fit', () => {
    const plain = block('{ name: "R", desc: "r", swaccess: "rw", fields: [{ bits: "3:0", resval: "multireg_idx" }] }');
    expect(plain.diagnostics.map((d) => d.code)).toContain('hjson/bad-resval');
    const compact = block(
      '{ multireg: { name: "C", desc: "c", count: "N", cname: "T", swaccess: "rw", fields: [ { bits: "3:0", name: "V", resval: "multireg_idx" } ] } }',
    );
    expect(compact.diagnostics.map((d) => d.code)).toContain('hjson/bad-multireg');
    const wide = block(
      '{ multireg: { name: "W", desc: "w", count: "N", cname: "T", swaccess: "rw", fields: [ { bits: "1:0", name: "V", resval: "multireg_idx * 2" }, { bits: "9:8", name: "U" } ] } }',
    );
    expect(wide.diagnostics.filter((d) => d.code === 'hjson/bad-resval').map((d) => d.message)).toEqual([
      'resval of field V of multireg W (copy 2) is 4, which does not fit its 2 bits',
    ]);
  });
});
