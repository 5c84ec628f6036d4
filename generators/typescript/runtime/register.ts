/**
 * Register access runtime of the generated SDK. The generated module describes every register as
 * data (RegisterSpec) and gives each a precise type; this class does the bit work once.
 *
 * Safety rules (docs/generators.md):
 * - `modify` never disturbs flags with write side effects: write-1-to-clear/set/toggle bits are
 *   written 0 and write-0-to-* bits 1 unless the caller names them (the RMW hazard of other PACs).
 * - a register whose read has side effects (read-to-clear, FIFO pop) has no `modify`: reading it
 *   implicitly would consume data. Its type leaves `modify` out.
 * - `write` starts from the neutral value of side-effect fields and the reset value of the others.
 */

/** The abstract transport: memory-mapped, the wire protocol, a test double. Widths are in bits. */
export interface RegisterIo {
  read(address: number, width: number): Promise<number>;
  write(address: number, width: number, value: number): Promise<void>;
  /** Optional one-round-trip masked write: bits in `mask` take `value`, the rest are untouched. */
  modify?(address: number, width: number, value: number, mask: number): Promise<void>;
  /** Optional device-side poll: resolves true when `(reg & mask) === value` within the time-out. */
  wait?(address: number, width: number, mask: number, value: number, timeoutMs: number): Promise<boolean>;
}

export type ClearMethod = 'write-one' | 'write-zero' | 'read' | 'any-write' | 'plain';

export interface FieldSpec {
  readonly lsb: number;
  readonly width: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly clear: ClearMethod;
  /** Names a write takes (and a read returns, unless `readEnums` differs). */
  readonly enums?: Readonly<Record<string, number>>;
  /** Names a read returns, when they are not the write names (SVD usage read vs write). */
  readonly readEnums?: Readonly<Record<string, number>>;
}

export interface RegisterSpec {
  readonly offset: number;
  readonly width: number;
  readonly neutralMask: number;
  readonly neutralValue: number;
  readonly writeBase: number;
  readonly readSideEffect: boolean;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

const pow2 = (n: number): number => 2 ** n;
/** Bitwise helpers on non-negative numbers up to 53 bits (JS `&` is signed 32-bit). */
const and = (a: number, b: number): number => (a <= 0xffffffff && b <= 0xffffffff ? (a & b) >>> 0 : Number(BigInt(a) & BigInt(b)));
const or = (a: number, b: number): number => (a <= 0xffffffff && b <= 0xffffffff ? (a | b) >>> 0 : Number(BigInt(a) | BigInt(b)));
const not = (a: number, width: number): number => pow2(width) - 1 - a;
const fieldMask = (f: FieldSpec): number => (pow2(f.width) - 1) * pow2(f.lsb);

/** `C`: the fields that can be cleared (their access says how); a plain field is changed with `modify`. */
export class Register<R extends object, W extends object, C extends string = never> {
  private readonly names: Readonly<Record<string, Readonly<Record<number, string>>>>;

  constructor(
    private readonly io: RegisterIo,
    readonly address: number,
    readonly spec: RegisterSpec,
  ) {
    const names: Record<string, Record<number, string>> = {};
    for (const [name, f] of Object.entries(spec.fields)) {
      const decoded = f.readEnums ?? f.enums;
      if (!decoded) continue;
      const byValue: Record<number, string> = {};
      for (const [label, value] of Object.entries(decoded)) byValue[value] = label;
      names[name] = byValue;
    }
    this.names = names;
  }

  readRaw(): Promise<number> {
    return this.io.read(this.address, this.spec.width);
  }

  writeRaw(value: number): Promise<void> {
    return this.io.write(this.address, this.spec.width, value);
  }

  /** Reads once and decodes every readable field (enum names where the value has one). */
  async read(): Promise<R> {
    return this.decode(await this.readRaw());
  }

  decode(raw: number): R {
    const out: Record<string, number | string> = {};
    for (const [name, f] of Object.entries(this.spec.fields)) {
      if (!f.readable) continue;
      const value = Math.floor(raw / pow2(f.lsb)) % pow2(f.width);
      out[name] = this.names[name]?.[value] ?? value;
    }
    return out as R;
  }

  /** Reads one field as a number. */
  async readField(name: keyof R & string): Promise<number> {
    const f = this.field(name);
    return Math.floor((await this.readRaw()) / pow2(f.lsb)) % pow2(f.width);
  }

  /** Writes the whole register: named fields take the given values, the others their safe defaults. */
  write(values: W): Promise<void> {
    const { value, mask } = this.encode(values);
    return this.writeRaw(or(and(this.spec.writeBase, not(mask, this.spec.width)), value));
  }

  /** Changes only the named fields (see the module comment for what happens to the others). */
  async modify(values: W): Promise<void> {
    if (this.spec.readSideEffect) throw new Error(`modify would read a register whose read has side effects (at 0x${this.address.toString(16)})`);
    const { value, mask } = this.encode(values);
    const forced = or(value, and(this.spec.neutralValue, and(this.spec.neutralMask, not(mask, this.spec.width))));
    const all = or(mask, this.spec.neutralMask);
    if (this.io.modify) return this.io.modify(this.address, this.spec.width, forced, all);
    const old = await this.readRaw();
    return this.writeRaw(or(and(old, not(all, this.spec.width)), forced));
  }

  /**
   * Clears a flag the way its access semantics say (write 1, write 0, read, any write), without
   * touching the register's other flags. Only fields with such semantics are accepted: on a plain
   * field "clear" would just write 0 (into a TX FIFO, say), which `modify` says honestly.
   */
  async clear(name: C): Promise<void> {
    const f = this.field(name);
    if (f.clear === 'plain') throw new Error(`${name} has no clear semantics; use modify({ ${name}: 0 })`);
    const all = pow2(f.width) - 1;
    switch (f.clear) {
      case 'read':
        await this.readRaw();
        return;
      case 'any-write':
        return this.writeRaw(this.spec.writeBase);
      case 'write-one':
        return this.spec.readSideEffect ? this.write({ [name]: all } as W) : this.modify({ [name]: all } as W);
      case 'write-zero':
        return this.spec.readSideEffect ? this.write({ [name]: 0 } as W) : this.modify({ [name]: 0 } as W);
    }
  }

  /** Polls until the field equals `value`; false on time-out. Uses the device-side WAIT when there is one. */
  async waitField(name: keyof R & string, value: number, timeoutMs: number): Promise<boolean> {
    const f = this.field(name);
    const mask = fieldMask(f);
    const expected = (value % pow2(f.width)) * pow2(f.lsb);
    if (this.io.wait) return this.io.wait(this.address, this.spec.width, mask, expected, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (and(await this.readRaw(), mask) === expected) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private field(name: string): FieldSpec {
    const f = this.spec.fields[name];
    if (!f) throw new Error(`no field ${name}`);
    return f;
  }

  private encode(values: W): { value: number; mask: number } {
    let value = 0;
    let mask = 0;
    for (const [name, given] of Object.entries(values as Record<string, number | string | undefined>)) {
      if (given === undefined) continue;
      const f = this.field(name);
      const numeric = typeof given === 'string' ? f.enums?.[given] : given;
      if (numeric === undefined || !Number.isInteger(numeric) || numeric < 0 || numeric >= pow2(f.width)) {
        throw new RangeError(`${JSON.stringify(given)} does not fit field ${name} (${f.width} bits)`);
      }
      value += numeric * pow2(f.lsb);
      mask += fieldMask(f);
    }
    return { value, mask };
  }
}

/** The subset of a register's API its access allows; generated types pick the methods. */
export type RegisterApi<R extends object, W extends object, M extends keyof Register<R, W, C>, C extends string = never> = Pick<Register<R, W, C>, M | 'address' | 'spec'>;
