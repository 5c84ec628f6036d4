import type { Device, EnumValue, Field, Peripheral, Register, RegisterNode, SourceSpan, Dim } from '../ir/types.ts';
import { extractBig, onesBig } from '../ir/bits.ts';
import type { EntityKind } from './types.ts';
import { descriptionWords, digitGroups, nameTokens, squash } from './names.ts';

/**
 * The diff works on a flattened view of each device: one `Entity` per peripheral, register
 * (clusters folded into the relative path and offset), field and enum value. Name tokens, word
 * sets and child summaries are computed on first use and cached: only the few entities that
 * become candidates need them, and building them for all of a 20 000-field device was most of the
 * diff's time (mostly garbage collection).
 */
export class Entity {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly children: Entity[] = [];
  /** Software access of a field ('' for other kinds). */
  readonly sw: string;
  #squashed?: string;
  #tokenList?: readonly string[];
  #tokens?: ReadonlySet<string>;
  #digits?: string;
  #descWords?: ReadonlySet<string>;
  #childNames?: ReadonlySet<string>;
  #childLayout?: ReadonlySet<string>;
  #elements?: readonly ArrayElement[];
  #content?: string;
  #layout?: string;
  /** Every array level of the node, outermost first (enclosing clusters, then its own dim). */
  dims: readonly Dim[] = [];

  constructor(
    readonly kind: EntityKind,
    readonly node: Peripheral | Register | Field | EnumValue,
    readonly parent: Entity | undefined,
    readonly description: string | undefined,
    /** Base address, offset from the peripheral base, lsb, or numeric value. */
    readonly position: number,
    /** Address-block size, register size, field width; 0 for enum values. */
    readonly width: number,
    /** Access summary compared by the features (register: the set of its fields' accesses). */
    public access: string,
    readonly reset: bigint | undefined,
    /** Key for exact matching under a matched parent (relative path, name, enum usage and name). */
    readonly key: string,
    /** Array shape (own dim and every enclosing cluster's), '' when none. */
    readonly shape: string,
  ) {
    this.name = node.name;
    this.path = node.path;
    this.span = node.span;
    this.sw = kind === 'field' ? (node as Field).access.sw : '';
  }

  /** Lower case without separators: `Xip_Ssi` and `XIPSSI` compare equal. */
  get squashed(): string {
    return (this.#squashed ??= squash(this.name));
  }

  get tokenList(): readonly string[] {
    return (this.#tokenList ??= nameTokens(this.name));
  }
  get tokens(): ReadonlySet<string> {
    return (this.#tokens ??= new Set(this.tokenList));
  }
  /** Digit groups of the name (`CR1` → '1'): registers that differ only there are different registers. */
  get digits(): string {
    return (this.#digits ??= digitGroups(this.name));
  }
  get descWords(): ReadonlySet<string> {
    return (this.#descWords ??= descriptionWords(this.description));
  }
  get childNames(): ReadonlySet<string> {
    return (this.#childNames ??= new Set(this.children.map((c) => c.squashed)));
  }
  get childLayout(): ReadonlySet<string> {
    return (this.#childLayout ??= new Set(this.children.map((c) => `${c.position}:${c.width}`)));
  }
  /** Address of a register (peripheral base + offset); other kinds keep their own position. */
  get absolute(): number {
    return this.kind === 'register' && this.parent ? this.parent.position + this.position : this.position;
  }
  /** The elements of an array node (position and name of each), empty for a scalar. */
  get elements(): readonly ArrayElement[] {
    return (this.#elements ??= arrayElements(this));
  }
  /**
   * What the node is, without its name and position: a register's size and fields (name, bits,
   * access, reset, enums), a field's width, access, reset and enums, a peripheral's registers. Two nodes
   * with equal content are the same thing even when both name and address changed.
   */
  get content(): string {
    return (this.#content ??= contentOf(this));
  }
  /**
   * The content without enumerated values: what a layout keeps when a rewrite renames or replaces
   * every field's values (a vendor's `B_0x0`/`B_0x1` → `Disabled`/`Enabled` in a patched file).
   */
  get layout(): string {
    return (this.#layout ??= layoutOf(this));
  }
}

export interface ArrayElement {
  readonly position: number;
  readonly name: string;
}

/** Arrays larger than this are not expanded element by element (collection checks skip them). */
const MAX_ELEMENTS = 4096;

function arrayElements(e: Entity): readonly ArrayElement[] {
  if (e.dims.length === 0) return [];
  let out: { position: number; suffix: string[] }[] = [{ position: e.position, suffix: [] }];
  for (const dim of e.dims) {
    if (out.length * dim.count > MAX_ELEMENTS) return [];
    out = out.flatMap((x) =>
      Array.from({ length: dim.count }, (_, k) => ({
        position: x.position + (dim.offsets ? (dim.offsets[k] ?? 0) : k * dim.stride),
        suffix: [...x.suffix, dim.indices?.[k] ?? String(k)],
      })),
    );
  }
  const own = e.dims[e.dims.length - 1]!;
  return out.map((x) => {
    const index = x.suffix[x.suffix.length - 1]!;
    const name = own.namePattern ? own.namePattern.replace('%s', index) : `${e.name}${index}`;
    return { position: x.position, name };
  });
}

function contentOf(e: Entity): string {
  const self = e.kind === 'field' ? `${e.width}:${e.access}:${e.reset ?? ''}` : `${e.width}:${e.kind === 'register' ? (e.reset ?? '') : ''}`;
  const children = e.children.map((c) =>
    e.kind === 'enum-value' ? '' : e.kind === 'field' ? `${c.key}=${c.position}` : `${c.key}@${c.position}{${c.content}}`,
  );
  return `${self}[${children.sort().join(',')}]`;
}

/**
 * Children by bits, field arrays element by element, names without index digits: collected fields
 * inside collected registers (`DATA0`..`DATA3` → `DATA[4]`, `DACC1DHR` → `DACCDHR`) keep the layout.
 */
function layoutOf(e: Entity): string {
  if (e.kind === 'field') return `${e.width}:${e.access}:${e.reset ?? ''}`;
  const self = `${e.width}:${e.kind === 'register' ? (e.reset ?? '') : ''}`;
  const children: string[] = [];
  for (const c of e.children) {
    const at = c.dims.length > 0 ? c.elements : [{ position: c.position, name: c.name }];
    for (const x of at) children.push(`${squash(x.name).replace(/[0-9]+/g, '')}@${x.position}{${c.layout}}`);
  }
  return `${self}[${children.sort().join(',')}]`;
}

function shapeOf(dims: readonly (Dim | undefined)[]): string {
  if (dims.every((d) => d === undefined)) return '';
  return dims
    .filter((d): d is Dim => d !== undefined)
    .map((d) => (d.offsets ? `${d.count}@[${d.offsets.join(',')}]` : `${d.count}x${d.stride}`))
    .join('/');
}

export function fieldAccessKey(field: Field): string {
  const a = field.access;
  return [a.sw, a.onRead ?? '', a.onWrite ?? '', a.singlePulse ? 'sp' : ''].join('/');
}

/** The field's reset: its own, else the register's reset bits when the reset mask covers them. */
export function effectiveFieldReset(field: Field, register: Register): bigint | undefined {
  if (field.reset !== undefined) return field.reset;
  const covered = extractBig(register.resetMask, field.lsb, field.width) === onesBig(field.width);
  return covered ? extractBig(register.resetValue, field.lsb, field.width) : undefined;
}

/** Every peripheral of a device as an entity tree (peripheral → registers → fields → enum values). */
export function deviceEntities(device: Device): Entity[] {
  return device.peripherals.map((peripheral) => {
    const size = peripheral.addressBlocks.reduce((n, b) => Math.max(n, b.offset + b.size), 0);
    const p = new Entity(
      'peripheral',
      peripheral,
      undefined,
      peripheral.description,
      peripheral.baseAddress,
      size,
      peripheral.driverKind ?? '',
      undefined,
      peripheral.name,
      shapeOf([peripheral.dim]),
    );
    if (peripheral.dim) p.dims = [peripheral.dim];
    const visit = (nodes: readonly RegisterNode[], prefix: string, base: number, dims: readonly (Dim | undefined)[]): void => {
      for (const node of nodes) {
        if (node.kind === 'cluster') {
          visit(node.children, `${prefix}${node.name}.`, base + node.offset, [...dims, node.dim]);
          continue;
        }
        const reset = node.resetMask === 0n ? undefined : node.resetValue;
        const r = new Entity('register', node, p, node.description, base + node.offset, node.size, '', reset, prefix + node.name, shapeOf([...dims, node.dim]));
        r.dims = [...dims, node.dim].filter((d): d is Dim => d !== undefined);
        for (const field of node.fields) {
          const f = new Entity(
            'field',
            field,
            r,
            field.description,
            field.lsb,
            field.width,
            fieldAccessKey(field),
            effectiveFieldReset(field, node),
            field.name,
            shapeOf([field.dim]),
          );
          if (field.dim) f.dims = [field.dim];
          for (const set of field.enums ?? []) {
            for (const value of set.values) {
              if (value.isDefault) continue;
              f.children.push(new Entity('enum-value', value, f, value.description, value.value, 0, set.usage, undefined, `${set.usage}:${value.name}`, ''));
            }
          }
          r.children.push(f);
        }
        r.access = [...new Set(r.children.map((f) => f.sw))].sort().join(',');
        p.children.push(r);
      }
    };
    visit(peripheral.registers, '', 0, []);
    return p;
  });
}
