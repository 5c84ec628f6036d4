/**
 * Hand-written loader for wasm-core/specdrive_core.wasm (no glue library): the module has no
 * imports; buffers cross the boundary through sd_alloc'd memory, and results are read from
 * sd_result_ptr. One scratch block is kept and grown, because allocating per call costs more
 * than tiny problems take to solve.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../package/root.ts';
import { MAGIC_BATCH, VERSION, decodeResult, readWord, writeWords } from './encode.ts';
import type { RawResult } from './model.ts';

/** The slice of the WebAssembly JS API used here (the project's lib settings omit its types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }>;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const WASM_URL = pathToFileURL(packagePath('wasm-core', 'specdrive_core.wasm'));

interface Exports {
  memory: { readonly buffer: ArrayBuffer };
  sd_alloc(len: number): number;
  sd_free(ptr: number, len: number): void;
  sd_solve(ptr: number, len: number): number;
  sd_solve_batch(ptr: number, len: number): number;
  sd_assign(ptr: number, len: number): number;
  sd_result_ptr(): number;
  sd_version(): number;
}

export interface AssignWasmRaw {
  feasible: boolean;
  total: number;
  cols: number[];
}

export class WasmCore {
  private ptr = 0;
  private cap = 0;
  constructor(private readonly ex: Exports) {
    if (ex.sd_version() !== VERSION) throw new Error(`specdrive_core.wasm speaks buffer version ${ex.sd_version()}, expected ${VERSION}`);
  }

  private scratch(bytes: number): number {
    if (bytes > this.cap) {
      if (this.cap > 0) this.ex.sd_free(this.ptr, this.cap);
      this.cap = Math.max(bytes, this.cap * 2, 4096);
      this.ptr = this.ex.sd_alloc(this.cap);
    }
    return this.ptr;
  }

  private callWords(fn: 'sd_solve' | 'sd_solve_batch', words: readonly number[]): Uint32Array {
    const ptr = this.scratch(words.length * 8);
    writeWords(new Uint32Array(this.ex.memory.buffer, ptr, words.length * 2), 0, words);
    const n = this.ex[fn](ptr, words.length * 8);
    if (n < 0) throw new Error(`${fn} rejected the buffer`);
    // Memory may have grown during the call: take a fresh view.
    return new Uint32Array(this.ex.memory.buffer, this.ex.sd_result_ptr(), n * 2);
  }

  solveWords(words: readonly number[]): RawResult {
    const r = this.callWords('sd_solve', words);
    return decodeResult((i) => readWord(r, i), r.length / 2);
  }

  solveBatchWords(problems: readonly (readonly number[])[]): RawResult[] {
    const words: number[] = [MAGIC_BATCH, problems.length];
    for (const p of problems) {
      words.push(p.length);
      for (const x of p) words.push(x);
    }
    const r = this.callWords('sd_solve_batch', words);
    const get = (i: number): number => readWord(r, i);
    const n = get(0);
    if (n !== problems.length) throw new Error(`batch solved ${n} of ${problems.length} problems`);
    const out: RawResult[] = [];
    let i = 1;
    for (let k = 0; k < n; k++) {
      const len = get(i);
      out.push(decodeResult(get, len, i + 1));
      i += 1 + len;
    }
    return out;
  }

  assign(n: number, m: number, cost: ArrayLike<number>, noMatch: number): AssignWasmRaw {
    const len = 3 + n * m;
    const ptr = this.scratch(len * 8);
    const f = new Float64Array(this.ex.memory.buffer, ptr, len);
    f[0] = n;
    f[1] = m;
    f[2] = noMatch;
    f.set(cost, 3);
    const k = this.ex.sd_assign(ptr, len * 8);
    if (k < 0) throw new Error('sd_assign rejected the buffer');
    const r = new Float64Array(this.ex.memory.buffer, this.ex.sd_result_ptr(), k);
    const cols: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) cols[i] = r[2 + i]!;
    return { feasible: r[0] === 1, total: r[1]!, cols };
  }
}

let cached: WasmCore | null = null;

/** Instantiates synchronously (readFileSync + WebAssembly.Instance); cached per process. */
export function loadWasmSync(): WasmCore {
  if (cached) return cached;
  const mod = new WA.Module(readFileSync(WASM_URL));
  cached = new WasmCore(new WA.Instance(mod, {}).exports as unknown as Exports);
  return cached;
}

export async function loadWasm(): Promise<WasmCore> {
  if (cached) return cached;
  const { instance } = await WA.instantiate(await readFile(WASM_URL), {});
  cached ??= new WasmCore(instance.exports as unknown as Exports);
  return cached;
}
