import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import { resetFromFields } from '../../ir/bits.ts';
import type {
  AddressBlock,
  Cluster,
  CounterSemantics,
  Device,
  Dim,
  EnumSet,
  Field,
  FieldAccess,
  HwAccess,
  InterruptSemantics,
  Peripheral,
  Register,
  RegisterNode,
  SwAccess,
} from '../../ir/types.ts';
import { isPresent, propBool, propInt, propValue, type Inst } from './instance.ts';
import { asInt, type Value } from './values.ts';

/**
 * Maps the elaborated top addrmap onto the IR (documented in docs/systemrdl.md):
 * - each addrmap/regfile directly inside the top is a peripheral (base = its address);
 * - registers and memories directly inside the top form one peripheral named after the top;
 * - deeper regfiles/addrmaps/mems are clusters; arrays stay arrays (`dim`), multi-dimensional
 *   arrays become one dimension in row-major order;
 * - signals, and instances with ispresent=false, are left out.
 */
export function toIr(top: Inst, diags: DiagnosticCollector): Device {
  const paths = new Map<Inst, string>();
  const mapping = new IrMapping(top, paths, diags);
  const direct = top.children.filter((c) => isPresent(c) && (c.kind === 'reg' || c.kind === 'mem'));
  const blocks = top.children.filter((c) => isPresent(c) && (c.kind === 'addrmap' || c.kind === 'regfile'));
  // Paths first: interrupt enable/mask references may point forward.
  for (const b of blocks) assignPaths(b, b.name, paths);
  for (const r of direct) assignPaths(r, `${top.name}.${r.name}`, paths);

  const peripherals: Peripheral[] = [];
  if (direct.length > 0) {
    if (blocks.some((b) => b.name === top.name)) {
      diags.error(
        'rdl/name-clash',
        `the top addrmap ${top.name} has registers of its own and also a child named ${top.name}; both would be peripheral ${top.name}`,
        top.span,
      );
    }
    peripherals.push(mapping.peripheral(top, top.name, direct, 0));
  }
  // A bridge's children are alternative views of one address space: each is an alternate of the first.
  const bridgeRoot = propBool(top, 'bridge') ? blocks[0]?.name : undefined;
  for (const b of blocks) {
    const p = mapping.peripheral(b, b.name, b.children, Number(b.offset ?? 0n));
    peripherals.push(bridgeRoot !== undefined && b.name !== bridgeRoot ? { ...p, alternateOf: bridgeRoot } : p);
  }
  peripherals.sort((a, b) => a.baseAddress - b.baseAddress || a.name.localeCompare(b.name));
  const desc = stringProp(top, 'desc');
  const widths = [...paths.keys()].filter((i) => i.kind === 'reg').map((r) => Number(propInt(r, 'regwidth') ?? 32n));
  return {
    kind: 'device',
    name: top.name,
    span: top.span,
    ...(desc !== undefined ? { description: desc } : {}),
    board: top.name,
    width: widths.length ? Math.max(...widths) : 32,
    addressUnitBits: 8,
    clocks: [],
    peripherals,
    sourceFormat: 'systemrdl',
  };
}

function assignPaths(inst: Inst, path: string, paths: Map<Inst, string>): void {
  paths.set(inst, path);
  for (const c of inst.children) if (c.kind !== 'signal' && isPresent(c)) assignPaths(c, `${path}.${c.name}`, paths);
}

function stringProp(inst: Inst, name: string): string | undefined {
  const v = propValue(inst, name);
  return v?.t === 'string' ? v.v.replace(/\s+/g, ' ').trim() : undefined;
}

function description(inst: Inst): string | undefined {
  return stringProp(inst, 'desc') ?? stringProp(inst, 'name');
}

class IrMapping {
  constructor(
    private readonly top: Inst,
    private readonly paths: ReadonlyMap<Inst, string>,
    private readonly diags: DiagnosticCollector,
  ) {}

  private num(v: bigint, inst: Inst, what: string): number {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.diags.warning('rdl/value-precision', `${what} of ${inst.name} (0x${v.toString(16)}) is above 2^53 and loses precision in the IR`, inst.span);
    }
    return Number(v);
  }

  private dim(inst: Inst): Dim | undefined {
    if (inst.dims.length === 0) return undefined;
    const count = inst.dims.reduce((a, b) => a * b, 1);
    const indices = inst.dims.length > 1 ? rowMajorIndices(inst.dims) : undefined;
    return { count, stride: this.num(inst.stride ?? 0n, inst, 'array stride'), namePattern: `${inst.name}[%s]`, ...(indices ? { indices } : {}) };
  }

  peripheral(inst: Inst, name: string, children: readonly Inst[], base: number): Peripheral {
    const desc = description(inst);
    const registers = this.nodes(children, name);
    const dim = inst.kind !== 'root' && name === inst.name ? this.dim(inst) : undefined;
    const addressBlocks: AddressBlock[] = [];
    if (inst === this.top) {
      // The top's own registers sit between its child blocks: one block per run of them, so the
      // peripheral they form does not claim the children's addresses.
      for (const run of this.runs(children)) addressBlocks.push({ offset: run.start, size: run.end - run.start, usage: 'registers' });
    } else {
      const size = children.reduce((end, c) => (c.offset === undefined || !isPresent(c) ? end : Math.max(end, Number(c.offset) + this.totalBytes(c))), 0);
      if (size > 0) addressBlocks.push({ offset: 0, size, usage: 'registers' });
    }
    for (const c of children) {
      if (c.kind === 'mem' && isPresent(c) && c.offset !== undefined)
        addressBlocks.push({ offset: Number(c.offset), size: this.totalBytes(c), usage: 'buffer' });
    }
    return {
      kind: 'peripheral',
      name,
      path: name,
      span: inst.span,
      ...(desc !== undefined ? { description: desc } : {}),
      ...(inst.typeName && inst.typeName !== name ? { groupName: inst.typeName } : {}),
      baseAddress: base,
      ...(dim ? { dim } : {}),
      addressBlocks,
      interrupts: [],
      registers,
      quantities: [],
      behaviours: [],
    };
  }

  /** Contiguous byte ranges covered by the children, in address order. */
  private runs(children: readonly Inst[]): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    const spans = children
      .filter((c) => c.offset !== undefined && isPresent(c) && c.kind !== 'mem')
      .map((c) => ({ start: Number(c.offset), end: Number(c.offset) + this.totalBytes(c) }))
      .sort((a, b) => a.start - b.start);
    for (const sp of spans) {
      const last = out[out.length - 1];
      if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
      else out.push({ ...sp });
    }
    return out;
  }

  private totalBytes(inst: Inst): number {
    let size = 0;
    if (inst.kind === 'reg') size = Number(propInt(inst, 'regwidth') ?? 32n) / 8;
    else if (inst.kind === 'mem') {
      const memwidth = Number(propInt(inst, 'memwidth') ?? 32n);
      let w = 8;
      while (w < memwidth) w *= 2;
      size = (w / 8) * Number(propInt(inst, 'mementries') ?? 1n);
    } else {
      for (const c of inst.children) if (c.offset !== undefined && isPresent(c)) size = Math.max(size, Number(c.offset) + this.totalBytes(c));
    }
    if (inst.dims.length === 0) return size;
    return Number(inst.stride ?? BigInt(size)) * inst.dims.reduce((a, b) => a * b, 1);
  }

  private nodes(children: readonly Inst[], parentPath: string): RegisterNode[] {
    const out: RegisterNode[] = [];
    for (const c of children) {
      if (!isPresent(c) || c.offset === undefined) continue;
      const path = `${parentPath}.${c.name}`;
      const dim = this.dim(c);
      const desc = description(c);
      if (c.kind === 'reg') {
        out.push(this.register(c, path, dim));
        continue;
      }
      const cluster: Cluster = {
        kind: 'cluster',
        name: c.name,
        path,
        span: c.span,
        ...(desc !== undefined ? { description: desc } : {}),
        offset: this.num(c.offset, c, 'offset'),
        byteSize: c.dims.length ? Number(c.stride ?? 0n) : this.totalBytes(c),
        ...(dim ? { dim } : {}),
        children: this.nodes(c.children, path),
      };
      out.push(cluster);
    }
    return out;
  }

  private register(reg: Inst, path: string, dim: Dim | undefined): Register {
    const size = Number(propInt(reg, 'regwidth') ?? 32n);
    const fields = reg.children.filter((c) => c.kind === 'field' && isPresent(c)).map((f) => this.field(f, `${path}.${f.name}`));
    const { resetValue, resetMask } = resetFromFields(fields);
    const desc = description(reg);
    const accessWidth = Number(propInt(reg, 'accesswidth') ?? BigInt(size));
    return {
      kind: 'register',
      name: reg.name,
      path,
      span: reg.span,
      ...(desc !== undefined ? { description: desc } : {}),
      offset: this.num(reg.offset ?? 0n, reg, 'offset'),
      size,
      resetValue,
      resetMask,
      ...(accessWidth < size ? { accessWidth } : {}),
      ...(dim ? { dim } : {}),
      fields,
    };
  }

  /** Field meaning the IR cannot carry: a warning at the property, so nothing is lost silently. */
  private reportUnrepresented(f: Inst): void {
    if (propBool(f, 'counter')) {
      for (const p of COUNTER_LIMITS) {
        const v = propValue(f, p);
        if (v?.t !== 'ref') continue;
        this.diags.warning(
          'rdl/limit-dropped',
          `${p} of counter ${f.name} is set at run time by ${v.inst.name}; the IR has no form for a run-time limit, so it is left out`,
          f.props.get(p)!.span,
        );
      }
    }
    if (!propBool(f, 'intr')) return;
    for (const p of UNREPRESENTED) {
      if (!f.props.has(p)) continue;
      this.diags.warning(
        'rdl/property-dropped',
        `${p} of interrupt ${f.name} has no IR form and is left out (the halt output is not modelled)`,
        f.props.get(p)!.span,
      );
    }
  }

  private field(f: Inst, path: string): Field {
    this.reportUnrepresented(f);
    const reset = propValue(f, 'reset');
    const resetInt = reset && reset.t !== 'ref' ? asInt(reset) : undefined;
    const enc = propValue(f, 'encode');
    const desc = description(f);
    const enums: EnumSet[] | undefined =
      enc?.t === 'enumType'
        ? [
            {
              name: enc.def.name,
              span: f.props.get('encode')!.span,
              usage: 'read-write',
              values: enc.def.members.map((m) => ({
                name: m.name,
                path: `${path}.${m.name}`,
                span: f.props.get('encode')!.span,
                value: Number(m.value),
                ...(m.desc !== undefined || m.displayName !== undefined ? { description: (m.desc ?? m.displayName)!.replace(/\s+/g, ' ').trim() } : {}),
              })),
            },
          ]
        : undefined;
    return {
      kind: 'field',
      name: f.name,
      path,
      span: f.span,
      ...(desc !== undefined ? { description: desc } : {}),
      lsb: f.lsb ?? 0,
      width: f.width ?? 1,
      access: fieldAccess(f, this.paths),
      ...(resetInt !== undefined ? { reset: resetInt } : {}),
      ...(enums ? { enums } : {}),
    };
  }
}

function rowMajorIndices(dims: readonly number[]): string[] {
  let out: string[] = [''];
  for (const d of dims) {
    const next: string[] = [];
    for (const prefix of out) for (let k = 0; k < d; k++) next.push(prefix === '' ? String(k) : `${prefix}_${k}`);
    out = next;
  }
  return out;
}

/** True for `prop;`/`prop = true`, and for a reference (a signal or field drives it). */
function setOrWired(f: Inst, name: string): boolean {
  const v = propValue(f, name);
  return v !== undefined && (v.t === 'ref' || propBool(f, name));
}

function limit(v: Value | undefined): number | true | undefined {
  if (!v) return undefined;
  if (v.t === 'bool') return v.v ? true : undefined;
  if (v.t === 'int') return Number(v.v);
  // A reference (a limit set by another field or signal at run time) has no IR form; `true` would
  // claim the natural limit, so it is left out and reported by the mapping (rdl/limit-dropped).
  return undefined;
}

const COUNTER_LIMITS = ['saturate', 'incrsaturate', 'threshold', 'incrthreshold', 'decrsaturate', 'decrthreshold'];
/** Properties checked but without an IR form whose loss changes behaviour: said, not dropped silently. */
const UNREPRESENTED = ['haltenable', 'haltmask'];

/** SystemRDL field properties → the IR access model (docs/systemrdl.md has the table). */
export function fieldAccess(f: Inst, paths: ReadonlyMap<Inst, string>): FieldAccess {
  const swv = propValue(f, 'sw');
  const hwv = propValue(f, 'hw');
  const sw: SwAccess = swv?.t === 'access' ? swv.v : 'rw';
  const hwRaw = hwv?.t === 'access' ? hwv.v : 'rw';
  const hw: HwAccess = hwRaw === 'rw1' ? 'rw' : hwRaw === 'w1' ? 'w' : hwRaw;
  const onreadv = propValue(f, 'onread');
  const onRead = onreadv?.t === 'onread' ? onreadv.v : propBool(f, 'rclr') ? 'rclr' : propBool(f, 'rset') ? 'rset' : undefined;
  const onwritev = propValue(f, 'onwrite');
  const onWrite = onwritev?.t === 'onwrite' ? onwritev.v : propBool(f, 'woclr') ? 'woclr' : propBool(f, 'woset') ? 'woset' : undefined;
  const precedence = propValue(f, 'precedence');
  let counter: CounterSemantics | undefined;
  if (propBool(f, 'counter')) {
    const has = (p: string): boolean => f.props.has(p) && !(propValue(f, p)?.t === 'bool' && !propBool(f, p));
    const down = ['decr', 'decrvalue', 'decrwidth', 'decrsaturate', 'decrthreshold', 'underflow'].some(has);
    const up = ['incr', 'incrvalue', 'incrwidth', 'incrsaturate', 'saturate', 'incrthreshold', 'threshold', 'overflow'].some(has) || !down;
    const incr = propValue(f, 'incrvalue');
    const decr = propValue(f, 'decrvalue');
    const c: { -readonly [K in keyof CounterSemantics]: CounterSemantics[K] } = {};
    // A counter steps by 1 unless incrvalue/decrvalue say otherwise; a width or a reference means a variable step.
    if (up && !has('incrwidth') && incr?.t !== 'ref') c.incrValue = incr?.t === 'int' ? Number(incr.v) : 1;
    if (down && !has('decrwidth') && decr?.t !== 'ref') c.decrValue = decr?.t === 'int' ? Number(decr.v) : 1;
    const incrSaturate = limit(propValue(f, 'incrsaturate') ?? propValue(f, 'saturate'));
    const decrSaturate = limit(propValue(f, 'decrsaturate'));
    const incrThreshold = limit(propValue(f, 'incrthreshold') ?? propValue(f, 'threshold'));
    const decrThreshold = limit(propValue(f, 'decrthreshold'));
    if (incrSaturate !== undefined) c.incrSaturate = incrSaturate;
    if (decrSaturate !== undefined) c.decrSaturate = decrSaturate;
    if (incrThreshold !== undefined) c.incrThreshold = incrThreshold;
    if (decrThreshold !== undefined) c.decrThreshold = decrThreshold;
    if (propBool(f, 'overflow')) c.overflow = true;
    if (propBool(f, 'underflow')) c.underflow = true;
    counter = c;
  }
  let interrupt: InterruptSemantics | undefined;
  if (propBool(f, 'intr')) {
    const kindv = propValue(f, 'intr type');
    const kind = kindv?.t === 'string' && (kindv.v === 'posedge' || kindv.v === 'negedge' || kindv.v === 'bothedge') ? kindv.v : 'level';
    const stickybit = propValue(f, 'stickybit');
    const sticky = propBool(f, 'sticky') ? 'sticky' : stickybit?.t === 'bool' && !stickybit.v ? 'nonsticky' : 'stickybit';
    const refPath = (name: string): string | undefined => {
      const v = propValue(f, name);
      return v?.t === 'ref' ? (paths.get(v.inst as Inst) ?? v.inst.name) : undefined;
    };
    const enable = refPath('enable');
    const mask = refPath('mask');
    interrupt = { kind, sticky, ...(enable ? { enable } : {}), ...(mask ? { mask } : {}) };
  }
  return {
    sw,
    hw,
    ...(onRead ? { onRead } : {}),
    ...(onWrite ? { onWrite } : {}),
    ...(propBool(f, 'singlepulse') ? { singlePulse: true } : {}),
    ...(setOrWired(f, 'hwset') ? { hwSet: true } : {}),
    ...(setOrWired(f, 'hwclr') ? { hwClr: true } : {}),
    ...(precedence?.t === 'precedence' && precedence.v === 'hw' ? { precedence: 'hw' as const } : {}),
    ...(propBool(f, 'swmod') ? { swMod: true } : {}),
    ...(propBool(f, 'swacc') ? { swAcc: true } : {}),
    ...(counter ? { counter } : {}),
    ...(interrupt ? { interrupt } : {}),
  };
}
