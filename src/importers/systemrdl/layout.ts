import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceSpan } from '../../ir/types.ts';
import { type Inst, isPresent, propBool, propInt, propValue, swAccess } from './instance.ts';
import { asInt, describeValue } from './values.ts';

interface LayoutContext {
  readonly addressing: 'compact' | 'regalign' | 'fullalign';
  readonly msb0: boolean;
}

function roundupPow2(n: bigint): bigint {
  let p = 1n;
  while (p < n) p <<= 1n;
  return p;
}
function roundupTo(n: bigint, align: bigint): bigint {
  return ((n + align - 1n) / align) * align;
}

/** Bit positions, addresses, strides, sizes; then the structural checks that need them. */
export class Layout {
  constructor(private readonly diags: DiagnosticCollector) {}

  private err(code: string, message: string, span: SourceSpan, hint?: string): void {
    this.diags.error(code, message, span, hint ? { hint } : undefined);
  }
  private warn(code: string, message: string, span: SourceSpan): void {
    this.diags.warning(code, message, span);
  }

  run(top: Inst): void {
    this.visit(top, { addressing: 'regalign', msb0: false });
  }

  private visit(inst: Inst, outer: LayoutContext): void {
    let ctx = outer;
    if (inst.kind === 'addrmap') {
      const a = propValue(inst, 'addressing');
      ctx = { addressing: a?.t === 'addressing' ? a.v : 'regalign', msb0: propBool(inst, 'msb0') };
    }
    for (const c of inst.children) this.visit(c, ctx);
    if (inst.kind === 'reg') this.placeFields(inst, ctx);
    if (inst.kind === 'field') this.fieldWidth(inst);
    if (inst.kind === 'addrmap' || inst.kind === 'regfile' || inst.kind === 'mem') this.placeChildren(inst, ctx);
    if (inst.kind === 'reg') this.checkRegister(inst);
  }

  private fieldWidth(f: Inst): void {
    const fw = propInt(f, 'fieldwidth');
    const bits = f.bits;
    let width: number | undefined = bits ? ('width' in bits ? bits.width : bits.hi - bits.lo + 1) : undefined;
    if (fw !== undefined) {
      if (width !== undefined && BigInt(width) !== fw) {
        this.err('rdl/field-width-mismatch', `field ${f.name} is ${width} bits wide but its fieldwidth property says ${fw}`, f.span);
      }
      width ??= Number(fw);
    }
    f.width = width ?? 1;
    if (bits && 'hi' in bits) f.lsb = bits.lo;
  }

  private placeFields(reg: Inst, ctx: LayoutContext): void {
    const regwidth = Number(propInt(reg, 'regwidth') ?? 32n);
    const fields = reg.children.filter((c) => c.kind === 'field');
    const lowHigh = fields.find((f) => f.bits && 'hi' in f.bits && f.bits.lowHigh && f.bits.hi !== f.bits.lo);
    const highLow = fields.find((f) => f.bits && 'hi' in f.bits && !f.bits.lowHigh && f.bits.hi !== f.bits.lo);
    if (lowHigh && highLow) {
      this.err('rdl/mixed-bit-order', `register ${reg.name} mixes [low:high] (${lowHigh.name}) and [high:low] (${highLow.name}) bit ranges`, lowHigh.span);
    }
    reg.msb0 = lowHigh ? true : highLow ? false : ctx.msb0;
    let prev: Inst | undefined;
    for (const f of fields) {
      if (f.lsb === undefined) {
        const w = f.width ?? 1;
        if (reg.msb0) {
          const hi = prev ? prev.lsb! - 1 : regwidth - 1;
          f.lsb = hi - w + 1;
          if (f.lsb < 0) this.err('rdl/field-out-of-range', `field ${f.name} (${w} bits) does not fit below bit ${hi + 1} of ${reg.name}`, f.span);
        } else f.lsb = prev ? prev.lsb! + (prev.width ?? 1) : 0;
      }
      prev = f;
    }
    reg.children.sort((a, b) => (a.kind === 'field' ? (a.lsb ?? 0) : -1) - (b.kind === 'field' ? (b.lsb ?? 0) : -1));
  }

  private size(inst: Inst): bigint {
    switch (inst.kind) {
      case 'reg':
        return (propInt(inst, 'regwidth') ?? 32n) / 8n;
      case 'mem': {
        const memwidth = propInt(inst, 'memwidth') ?? 32n;
        const entries = propInt(inst, 'mementries') ?? 1n;
        return (roundupPow2(memwidth < 8n ? 8n : memwidth) / 8n) * entries;
      }
      case 'regfile':
      case 'addrmap': {
        let end = 0n;
        for (const c of inst.children) {
          if (c.offset === undefined) continue;
          const e = c.offset + this.totalSize(c);
          if (e > end) end = e;
        }
        return end;
      }
      default:
        return 0n;
    }
  }

  totalSize(inst: Inst): bigint {
    const size = this.size(inst);
    if (inst.dims.length === 0) return size;
    const count = inst.dims.reduce((a, b) => a * BigInt(b), 1n);
    return (inst.stride ?? size) * count;
  }

  private placeChildren(parent: Inst, ctx: LayoutContext): void {
    const propAlign = propInt(parent, 'alignment');
    if (propAlign !== undefined && (propAlign <= 0n || (propAlign & (propAlign - 1n)) !== 0n)) {
      this.err('rdl/bad-alignment', `alignment ${propAlign} of ${parent.name} must be a power of two`, parent.props.get('alignment')!.span);
    }
    const alignment = propAlign !== undefined && propAlign > 0n ? propAlign : 1n;
    const bridge = parent.kind === 'addrmap' && propBool(parent, 'bridge');
    let prev: Inst | undefined;
    for (const c of parent.children) {
      if (c.kind !== 'reg' && c.kind !== 'regfile' && c.kind !== 'addrmap' && c.kind !== 'mem') continue;
      const size = this.size(c);
      if (c.dims.length > 0) {
        c.stride = c.strideGiven ?? size;
        if (c.strideGiven !== undefined && c.strideGiven < size) {
          this.err('rdl/array-stride', `array ${c.name} has stride 0x${c.strideGiven.toString(16)} but each element is 0x${size.toString(16)} bytes`, c.span);
        }
      }
      if (c.at !== undefined) {
        c.offset = c.at;
        if (c.at % alignment !== 0n)
          this.err('rdl/misaligned', `${c.name} at 0x${c.at.toString(16)} is not aligned to ${parent.name}'s alignment of 0x${alignment.toString(16)}`, c.span);
      } else {
        let mode: bigint;
        if (ctx.addressing === 'compact') mode = c.kind === 'reg' ? (propInt(c, 'accesswidth') ?? propInt(c, 'regwidth') ?? 32n) / 8n : 1n;
        else if (ctx.addressing === 'regalign') mode = roundupPow2(size);
        else mode = roundupPow2(this.totalSize(c));
        let align = alignment;
        if ((c.alignGiven ?? 1n) > align) align = c.alignGiven!;
        if (mode > align) align = mode;
        const next = prev === undefined || bridge ? 0n : prev.offset! + this.totalSize(prev);
        c.offset = roundupTo(next, align < 1n ? 1n : align);
      }
      prev = c;
    }
    // Address order, as systemrdl-compiler and every generator want it; signals first.
    parent.children.sort((a, b) => (a.offset === undefined ? -1 : b.offset === undefined ? 1 : a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
    // A bridge's children are alternative views of one space (clause 13.4): they share address 0.
    if (!bridge) this.checkOverlaps(parent);
    const addressable = parent.children.filter((c) => c.offset !== undefined && isPresent(c));
    if (addressable.length === 0 && parent.kind !== 'mem' && !parent.incomplete) {
      this.err('rdl/empty-component', `${parent.kind} ${parent.name} contains no registers`, parent.span);
    }
  }

  private checkOverlaps(parent: Inst): void {
    const placed = parent.children.filter((c) => c.offset !== undefined && isPresent(c));
    for (let i = 0; i < placed.length; i++) {
      const a = placed[i]!;
      const aEnd = a.offset! + this.totalSize(a);
      for (let j = i + 1; j < placed.length; j++) {
        const b = placed[j]!;
        if (b.offset! >= aEnd) break;
        if (a.kind === 'reg' && b.kind === 'reg' && complementaryAccess(a, b)) continue;
        if (a.dims.length > 0 || b.dims.length > 0) {
          // Interleaved arrays may share a range without colliding: compare the element addresses.
          if (!elementsCollide(a, b, this)) continue;
        }
        this.err(
          'rdl/address-overlap',
          `${b.name} at 0x${b.offset!.toString(16)} overlaps ${a.name} (0x${a.offset!.toString(16)}–0x${(aEnd - 1n).toString(16)})`,
          b.span,
          'give it a free address with @, or make one register read-only and the other write-only',
        );
      }
    }
  }

  private checkRegister(reg: Inst): void {
    const regwidthValue = propInt(reg, 'regwidth') ?? 32n;
    const span = reg.props.get('regwidth')?.span ?? reg.span;
    if (regwidthValue < 8n || (regwidthValue & (regwidthValue - 1n)) !== 0n) {
      this.err('rdl/bad-regwidth', `regwidth ${regwidthValue} of ${reg.name} must be a power of two of at least 8`, span);
    }
    const accesswidth = propInt(reg, 'accesswidth');
    if (accesswidth !== undefined && (accesswidth < 8n || (accesswidth & (accesswidth - 1n)) !== 0n || accesswidth > regwidthValue)) {
      this.err(
        'rdl/bad-accesswidth',
        `accesswidth ${accesswidth} of ${reg.name} must be a power of two between 8 and regwidth (${regwidthValue})`,
        reg.props.get('accesswidth')!.span,
      );
    }
    const regwidth = Number(regwidthValue);
    const fields = reg.children.filter((c) => c.kind === 'field' && isPresent(c));
    if (fields.length === 0 && !reg.incomplete) this.err('rdl/empty-register', `register ${reg.name} has no fields`, reg.span);
    for (const [i, f] of fields.entries()) {
      const lsb = f.lsb ?? 0;
      const width = f.width ?? 1;
      if (lsb + width > regwidth) {
        this.err(
          'rdl/field-out-of-range',
          `field ${f.name} [${lsb + width - 1}:${lsb}] does not fit in the ${regwidth}-bit register ${reg.name}`,
          f.span,
          'widen the register with regwidth, or move the field',
        );
      }
      for (const g of fields.slice(i + 1)) {
        const glsb = g.lsb ?? 0;
        if (glsb < lsb + width && lsb < glsb + (g.width ?? 1)) {
          const pair = [swAccess(f), swAccess(g)].sort().join('/');
          if (pair === 'r/w') continue; // a read-only and a write-only field may share bits
          this.err(
            'rdl/field-overlap',
            `field ${g.name} [${glsb + (g.width ?? 1) - 1}:${glsb}] overlaps ${f.name} [${lsb + width - 1}:${lsb}] in ${reg.name}`,
            g.span,
          );
        }
      }
      checkField(f, this);
    }
  }

  reportField(code: string, message: string, span: SourceSpan, severity: 'error' | 'warning' = 'error'): void {
    if (severity === 'error') this.err(code, message, span);
    else this.warn(code, message, span);
  }
}

function complementaryAccess(a: Inst, b: Inst): boolean {
  const access = (r: Inst): 'r' | 'w' | 'rw' => {
    let read = false;
    let write = false;
    for (const f of r.children) {
      if (f.kind !== 'field') continue;
      const sw = swAccess(f);
      if (sw.includes('r')) read = true;
      if (sw.includes('w')) write = true;
    }
    return read && write ? 'rw' : read ? 'r' : 'w';
  };
  return [access(a), access(b)].sort().join('/') === 'r/w';
}

function elementsCollide(a: Inst, b: Inst, layout: Layout): boolean {
  const starts = (x: Inst): bigint[] => {
    const count = x.dims.reduce((p, q) => p * q, 1);
    if (count > 4096) return [x.offset!];
    return Array.from({ length: count }, (_, k) => x.offset! + (x.stride ?? 0n) * BigInt(k));
  };
  const sizeA = a.dims.length ? layout.totalSize({ ...a, dims: [] }) : layout.totalSize(a);
  const sizeB = b.dims.length ? layout.totalSize({ ...b, dims: [] }) : layout.totalSize(b);
  for (const x of starts(a)) for (const y of starts(b)) if (x < y + sizeB && y < x + sizeA) return true;
  return false;
}

/** Field rules of clause 9 that concern access semantics and values. */
function checkField(f: Inst, layout: Layout): void {
  const sw = swAccess(f);
  const hwv = propValue(f, 'hw');
  const hw = hwv?.t === 'access' ? hwv.v : 'rw';
  const width = f.width ?? 1;
  const at = (name: string): SourceSpan => f.props.get(name)?.span ?? f.span;
  if (hw === 'rw1' || hw === 'w1')
    layout.reportField('rdl/property-type', `hw=${hw} is meaningless for field ${f.name}: write-once applies to software only`, at('hw'));
  if (sw === 'w' && hw === 'w') layout.reportField('rdl/access-meaningless', `field ${f.name}: sw=w with hw=w cannot be read by anyone`, at('sw'), 'warning');
  const readable = sw.includes('r');
  const writable = sw.includes('w');
  const onwrite = ['onwrite', 'woset', 'woclr'].find((p) => f.props.has(p) && (propValue(f, p)?.t !== 'bool' || propBool(f, p)));
  if (onwrite && !writable) layout.reportField('rdl/property-conflict', `field ${f.name} has ${onwrite} but sw=${sw} cannot write it`, at(onwrite));
  const onread = ['onread', 'rclr', 'rset'].find((p) => f.props.has(p) && (propValue(f, p)?.t !== 'bool' || propBool(f, p)));
  if (onread && !readable) layout.reportField('rdl/property-conflict', `field ${f.name} has ${onread} but sw=${sw} cannot read it`, at(onread));
  for (const p of ['swwe', 'swwel', 'we', 'wel']) {
    const v = propValue(f, p);
    const on = v && (v.t === 'ref' || (v.t === 'bool' && v.v));
    if (on && !writable && (p === 'swwe' || p === 'swwel'))
      layout.reportField('rdl/property-conflict', `field ${f.name} has ${p} but sw=${sw} is never writable`, at(p));
    if (on && (p === 'we' || p === 'wel') && !hw.includes('w'))
      layout.reportField('rdl/property-conflict', `field ${f.name} has ${p} (a hardware write enable) but hw=${hw} cannot write`, at(p));
  }
  if (propBool(f, 'singlepulse')) {
    if (width !== 1) layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must be 1 bit wide, not ${width}`, at('singlepulse'));
    if (!writable) layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must be writable by software`, at('singlepulse'));
  }
  const reset = propValue(f, 'reset');
  if (reset && (reset.t === 'int' || reset.t === 'enumValue' || reset.t === 'bool')) {
    const n = asInt(reset)!;
    if (n >> BigInt(width) !== 0n) {
      layout.reportField(
        'rdl/reset-too-wide',
        `reset value ${describeValue(reset)} of field ${f.name} does not fit in its ${width} bit${width === 1 ? '' : 's'}`,
        at('reset'),
      );
    } else if (reset.t === 'int' && reset.sized && reset.width > width) {
      layout.reportField('rdl/reset-width', `reset literal of field ${f.name} is ${reset.width} bits wide but the field has ${width}`, at('reset'), 'warning');
    }
  }
  if (propBool(f, 'singlepulse') && reset && asInt(reset) !== 0n)
    layout.reportField('rdl/property-conflict', `singlepulse field ${f.name} must reset to 0`, at('reset'));
  for (const limit of ['saturate', 'incrsaturate', 'threshold', 'incrthreshold', 'decrsaturate', 'decrthreshold', 'incrvalue', 'decrvalue']) {
    const v = propValue(f, limit);
    if (v?.t === 'int' && v.v >> BigInt(width) !== 0n)
      layout.reportField('rdl/value-too-wide', `${limit} ${v.v} of counter ${f.name} does not fit in its ${width} bits`, at(limit));
  }
  const counterProps = [
    'incrvalue',
    'decrvalue',
    'saturate',
    'threshold',
    'incrsaturate',
    'incrthreshold',
    'decrsaturate',
    'decrthreshold',
    'overflow',
    'underflow',
    'incr',
    'decr',
    'incrwidth',
    'decrwidth',
  ];
  const stray = counterProps.find((p) => f.props.has(p) && !(propValue(f, p)?.t === 'bool' && !propBool(f, p)));
  if (stray && !propBool(f, 'counter'))
    layout.reportField('rdl/property-conflict', `field ${f.name} sets ${stray} but is not a counter (add 'counter;')`, at(stray));
  const intrOnly = ['enable', 'mask', 'haltenable', 'haltmask'].find((p) => f.props.has(p));
  if (intrOnly && !propBool(f, 'intr'))
    layout.reportField('rdl/property-conflict', `field ${f.name} sets ${intrOnly} but is not an interrupt (add 'intr;')`, at(intrOnly));
  const enc = propValue(f, 'encode');
  if (enc?.t === 'enumType') {
    for (const m of enc.def.members) {
      if (m.value >> BigInt(width) !== 0n)
        layout.reportField('rdl/enum-too-wide', `${enc.def.name}::${m.name} = ${m.value} does not fit field ${f.name} (${width} bits)`, at('encode'));
    }
  }
  for (const p of ['enable', 'mask', 'haltenable', 'haltmask', 'next', 'resetsignal', 'hwenable', 'hwmask']) {
    const v = propValue(f, p);
    if (v?.t !== 'ref' || v.prop) continue;
    const target = v.inst as Inst;
    const wanted = p === 'resetsignal' ? ['signal'] : ['field', 'signal'];
    if (!wanted.includes(target.kind))
      layout.reportField('rdl/property-type', `${p} of field ${f.name} must reference a ${wanted.join(' or ')}, not the ${target.kind} ${target.name}`, at(p));
  }
}
