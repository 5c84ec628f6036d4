import { closeSync, openSync, writeSync } from 'node:fs';
import type { DeviceModel, FieldChange, FieldState } from './device-model.ts';

/** One line of the JSON-lines access log. */
export interface AccessRecord {
  /** Virtual time (ticks) when the access ran. */
  readonly t: number;
  readonly device: number;
  readonly op: string;
  readonly client?: number;
  readonly seq?: number;
  readonly address?: string;
  readonly width?: number;
  /** Decoded register(s) the access touched. */
  readonly register?: string;
  readonly value?: number;
  readonly mask?: number;
  readonly status: string;
  /** Field changes and side effects, in the order they happened (old/new per field). */
  readonly changes: readonly FieldChange[];
  readonly note?: string;
}

export interface Tracer {
  access?(record: AccessRecord): void;
  change?(time: number, field: FieldState, change: FieldChange): void;
  irq?(time: number, name: string, level: boolean): void;
  close(): void;
}

/** Buffered synchronous file output: deterministic order, no lost tail when the process stops. */
class FileSink {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > 64 * 1024) this.flush();
  }
  flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

/** JSON-lines access log: one object per protocol operation. */
export class JsonlTracer implements Tracer {
  private readonly sink: FileSink;
  constructor(path: string) {
    this.sink = new FileSink(path);
  }
  access(record: AccessRecord): void {
    this.sink.write(JSON.stringify(record) + '\n');
  }
  irq(time: number, name: string, level: boolean): void {
    this.sink.write(JSON.stringify({ t: time, op: 'IRQ', name, level }) + '\n');
  }
  close(): void {
    this.sink.close();
  }
}

/**
 * Value change dump of every field and interrupt line (GTKWave, Surfer). One virtual tick is one
 * timescale unit (`1 ns`); several changes within one tick keep only the last value, as VCD does.
 */
export class VcdTracer implements Tracer {
  private readonly sink: FileSink;
  private readonly ids = new Map<string, string>();
  private lastTime = -1;

  constructor(path: string, devices: readonly { readonly name: string; readonly model: DeviceModel; readonly irqLines: readonly string[] }[]) {
    this.sink = new FileSink(path);
    const lines: string[] = ['$version specdrive firmware-sim $end', '$timescale 1 ns $end'];
    const initial: string[] = [];
    let counter = 0;
    const nextId = (): string => {
      let n = counter++;
      let id = '';
      do {
        id += String.fromCharCode(33 + (n % 94));
        n = Math.floor(n / 94);
      } while (n > 0);
      return id;
    };
    for (const { name, model, irqLines } of devices) {
      lines.push(`$scope module ${vcdName(name)} $end`);
      const byPeripheral = new Map<string, Map<string, FieldState[]>>();
      for (const register of model.registers) {
        const p = byPeripheral.get(register.peripheral.name) ?? new Map<string, FieldState[]>();
        byPeripheral.set(register.peripheral.name, p);
        p.set(register.path.slice(register.peripheral.name.length + 1), [...register.fields]);
      }
      for (const [peripheral, registers] of byPeripheral) {
        lines.push(`$scope module ${vcdName(peripheral)} $end`);
        // Hidden state (a timer's internal counter) in a scope of its own: no register holds it.
        const hidden = model.hiddenStates.filter((fs) => fs.register.peripheral.name === peripheral);
        if (hidden.length > 0) {
          lines.push('$scope module hidden $end');
          for (const fs of hidden) {
            const id = nextId();
            this.ids.set(`${name}:${fs.path}`, id);
            lines.push(`$var wire ${fs.width} ${id} ${vcdName(fs.field.name)} $end`);
            initial.push(vcdValue(fs.value, fs.width, id));
          }
          lines.push('$upscope $end');
        }
        for (const [register, fields] of registers) {
          lines.push(`$scope module ${vcdName(register)} $end`);
          for (const fs of fields) {
            const id = nextId();
            this.ids.set(`${name}:${fs.path}`, id);
            lines.push(`$var wire ${fs.width} ${id} ${vcdName(fs.path.slice(register.length + peripheral.length + 2))} $end`);
            initial.push(vcdValue(fs.value, fs.width, id));
          }
          lines.push('$upscope $end');
        }
        lines.push('$upscope $end');
      }
      lines.push('$scope module irq $end');
      for (const line of irqLines) {
        const id = nextId();
        this.ids.set(`${name}:irq:${line}`, id);
        lines.push(`$var wire 1 ${id} ${vcdName(line)} $end`);
        initial.push(vcdValue(0, 1, id));
      }
      lines.push('$upscope $end', '$upscope $end');
    }
    lines.push('$enddefinitions $end', '#0', '$dumpvars', ...initial, '$end');
    this.sink.write(lines.join('\n') + '\n');
    this.lastTime = 0;
  }

  /** Scoped per device so two devices on one link keep separate signals. */
  forDevice(device: string): Tracer {
    return {
      change: (time, field, change) => this.emit(time, `${device}:${field.path}`, change.new, field.width),
      irq: (time, name, level) => this.emit(time, `${device}:irq:${name}`, level ? 1 : 0, 1),
      close: () => undefined,
    };
  }

  private emit(time: number, key: string, value: number, width: number): void {
    const id = this.ids.get(key);
    if (id === undefined) return;
    if (time > this.lastTime) {
      this.sink.write(`#${time}\n`);
      this.lastTime = time;
    }
    this.sink.write(vcdValue(value, width, id) + '\n');
  }

  close(): void {
    this.sink.close();
  }
}

function vcdValue(value: number, width: number, id: string): string {
  return width === 1 ? `${value & 1}${id}` : `b${(value >>> 0).toString(2)} ${id}`;
}

/** VCD identifiers cannot hold spaces; brackets of array indices are kept (viewers show them). */
function vcdName(name: string): string {
  return name.replace(/[^A-Za-z0-9_[\]]/g, '_');
}
