import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Device, RegisterNode } from '../../../src/ir/types.ts';

/** The shared corpus (never copied into the repo). */
export const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const RDL_DIR = join(DATA, 'systemrdl');
export const ORACLE = fileURLToPath(new URL('./oracle/dump_elaboration.py', import.meta.url));

export function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, ext));
    else if (name.endsWith(ext)) out.push(full);
  }
  return out;
}

/** One register or block as both sides describe it: absolute address of element 0, array shape. */
export interface FlatNode {
  path: string;
  address: number;
  count: number | null;
  stride: number | null;
  block?: true;
  regwidth?: number;
  fields?: FlatField[];
}
export interface FlatField {
  name: string;
  lsb: number;
  width: number;
  sw: string;
  hw: string;
  onread: string | null;
  onwrite: string | null;
  /** Decimal digits (exact beyond 2^53). */
  reset: string | null;
  intr: boolean;
  counter: boolean;
}

export interface OracleJob {
  files: string[];
  top?: string;
  expand?: boolean;
}
export type OracleResult = { ok: true; top: string; regs: OracleNode[] } | { ok: true; text: string } | { ok: false; messages: string };
interface OracleNode {
  path: string;
  address: number;
  dims: number[];
  stride: number | null;
  block?: boolean;
  regwidth?: number;
  fields?: FlatField[];
}

/** Runs systemrdl-compiler. Throws (and so fails the test) when Python or the module is missing. */
export function runOracle(jobs: OracleJob[]): OracleResult[] {
  const out = execFileSync('python3', [ORACLE], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return JSON.parse(out) as OracleResult[];
}

export function flattenOracle(regs: readonly OracleNode[]): FlatNode[] {
  return regs
    .map((r) => ({
      path: r.path,
      address: r.address,
      count: r.dims.length ? r.dims.reduce((a, b) => a * b, 1) : null,
      stride: r.dims.length ? r.stride : null,
      ...(r.block ? { block: true as const } : { regwidth: r.regwidth!, fields: r.fields! }),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Our IR in the oracle's shape: paths relative to the top addrmap. */
export function flattenIr(device: Device): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (nodes: readonly RegisterNode[], base: number, prefix: string): void => {
    for (const n of nodes) {
      const address = base + n.offset;
      const shape = { count: n.dim ? n.dim.count : null, stride: n.dim ? n.dim.stride : null };
      if (n.kind === 'cluster') {
        out.push({ path: prefix + n.name, address, ...shape, block: true });
        walk(n.children, address, `${prefix}${n.name}.`);
        continue;
      }
      out.push({
        path: prefix + n.name,
        address,
        ...shape,
        regwidth: n.size,
        fields: n.fields.map((f) => ({
          name: f.name,
          lsb: f.lsb,
          width: f.width,
          sw: f.access.sw,
          hw: f.access.hw,
          onread: f.access.onRead ?? null,
          onwrite: f.access.onWrite ?? null,
          reset: f.reset === undefined ? null : String(f.reset),
          intr: f.access.interrupt !== undefined,
          counter: f.access.counter !== undefined,
        })),
      });
    }
  };
  for (const p of device.peripherals) {
    // Registers directly in the top addrmap form the peripheral named after the top, located at the
    // top itself (a child block may also be named like the top: all.rdl's `top top2;` inside top2).
    const direct = p.name === device.name && JSON.stringify(p.span) === JSON.stringify(device.span);
    if (direct) walk(p.registers, p.baseAddress, '');
    else {
      out.push({ path: p.name, address: p.baseAddress, count: p.dim ? p.dim.count : null, stride: p.dim ? p.dim.stride : null, block: true });
      walk(p.registers, p.baseAddress, `${p.name}.`);
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Differences between two flattenings, one line each (readable when thousands of nodes differ). */
export function diffFlat(ours: readonly FlatNode[], theirs: readonly FlatNode[], limit = 15): string[] {
  const out: string[] = [];
  const mine = new Map(ours.map((n) => [n.path, n]));
  const ref = new Map(theirs.map((n) => [n.path, n]));
  for (const [path, t] of ref) {
    const o = mine.get(path);
    if (!o) out.push(`missing ${path}`);
    else if (JSON.stringify(o) !== JSON.stringify(t)) {
      const { fields: of, ...orest } = o;
      const { fields: tf, ...trest } = t;
      if (JSON.stringify(orest) !== JSON.stringify(trest)) out.push(`${path}: ours ${JSON.stringify(orest)} vs ${JSON.stringify(trest)}`);
      for (const [k, tfield] of (tf ?? []).entries()) {
        const ofield = of?.[k];
        if (JSON.stringify(ofield) !== JSON.stringify(tfield)) out.push(`${path} field #${k}: ours ${JSON.stringify(ofield)} vs ${JSON.stringify(tfield)}`);
      }
      if ((of ?? []).length !== (tf ?? []).length) out.push(`${path}: ${(of ?? []).length} fields vs ${(tf ?? []).length}`);
    }
  }
  for (const path of mine.keys()) if (!ref.has(path)) out.push(`extra ${path}`);
  return out.slice(0, limit);
}

/**
 * The key values of a flattening, one line per register or block, compact enough to keep a
 * reference tool's answer in a test: path, address, array shape, and per field bits, sw/hw,
 * reset, intr/counter.
 */
export function keyLines(flat: readonly FlatNode[]): string[] {
  return flat.map((n) => {
    const shape = n.count !== null ? ` [${n.count}] +0x${n.stride!.toString(16)}` : '';
    const head = `${n.path} @0x${n.address.toString(16)}${shape}`;
    if (n.block) return `${head} block`;
    const fields = (n.fields ?? []).map((f) => {
      const flags = [f.onread, f.onwrite, f.intr ? 'intr' : null, f.counter ? 'counter' : null].filter((x) => x !== null);
      return `${f.name}[${f.lsb}+${f.width}] ${f.sw}/${f.hw}${f.reset !== null ? ` =${f.reset}` : ''}${flags.length ? ` ${flags.join(' ')}` : ''}`;
    });
    return `${head} w${n.regwidth}: ${fields.join(', ')}`;
  });
}
