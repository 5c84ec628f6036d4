import type { Field, Peripheral, Register, RegisterNode } from './types.ts';

/**
 * Peripheral-relative paths that may name one element of a register or cluster array:
 * `CC[0].CC`, `EVENTS_COMPARE[2].EVENTS_COMPARE`, `CH[1].CTRL.EN`. The one parser of that syntax:
 * contract roles, lowering, the generators and the scenario interpreter all read paths through it.
 */
export interface PathSegment {
  readonly name: string;
  /** The element of an array (`CC[0]` → 0); absent for a segment without brackets. */
  readonly index?: number;
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(0|[1-9][0-9]{0,8})\])?$/;

/** The regular expression a contract's `REGISTER[i].FIELD` reference matches (the schema uses it). */
export const ELEMENT_FIELD_PATH =
  /^[A-Za-z_][A-Za-z0-9_]*(\[(0|[1-9][0-9]{0,8})\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[(0|[1-9][0-9]{0,8})\])?)*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits `CC[0].CC` into segments; undefined when a segment is not `NAME` or `NAME[decimal]`. */
export function parseElementPath(path: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  for (const part of path.split('.')) {
    const m = SEGMENT.exec(part);
    if (!m?.[1]) return undefined;
    out.push(m[2] === undefined ? { name: m[1] } : { name: m[1], index: Number(m[2]) });
  }
  return out;
}

export function formatElementPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => (s.index === undefined ? s.name : `${s.name}[${s.index}]`)).join('.');
}

/** A register element a path names, with its field when the path goes down to one. */
export interface ResolvedElement {
  readonly register: Register;
  readonly field?: Field;
  /** The register's path with its indices (`CC[0]`, `CH[1].CTRL`), peripheral-relative. */
  readonly registerPath: string;
  /** The names only (`CC`), as the register's own path has them. */
  readonly registerNames: readonly string[];
  /** One index per array on the way down, outermost first. */
  readonly indices: readonly number[];
  /** Byte offset of the element from the peripheral base. */
  readonly offset: number;
}

/** Why a path names no element: a stable code for the diagnostic, and the words. */
export interface ElementPathError {
  readonly code: 'path/syntax' | 'path/not-found' | 'path/index-missing' | 'path/not-an-array' | 'path/index-out-of-range';
  readonly message: string;
}

/**
 * Resolves `REG[i].FIELD` (or a register path when `withField` is false) in a peripheral. Every
 * array on the way down needs an index within its count, and only arrays take one.
 */
export function resolveElementPath(peripheral: Peripheral, path: string, withField = true): ResolvedElement | ElementPathError {
  const segments = parseElementPath(path);
  if (!segments) return { code: 'path/syntax', message: `${path} is not a path of NAME or NAME[index] segments` };
  const fieldSegment = withField ? segments[segments.length - 1] : undefined;
  const registerSegments = withField ? segments.slice(0, -1) : segments;
  if (fieldSegment?.index !== undefined) return { code: 'path/not-an-array', message: `${path}: field ${fieldSegment.name} takes no index` };
  let nodes: readonly RegisterNode[] = peripheral.registers;
  let offset = 0;
  const indices: number[] = [];
  let register: Register | undefined;
  for (const [i, segment] of registerSegments.entries()) {
    const node = nodes.find((n) => n.name === segment.name);
    const sofar = formatElementPath(registerSegments.slice(0, i + 1));
    if (!node || (node.kind === 'register' && i < registerSegments.length - 1) || (node.kind === 'cluster' && i === registerSegments.length - 1)) {
      return {
        code: 'path/not-found',
        message: `${peripheral.name} has no ${node?.kind === 'cluster' ? 'register' : node ? 'cluster' : 'register or cluster'} ${sofar}`,
      };
    }
    offset += node.offset;
    if (node.dim) {
      if (segment.index === undefined)
        return {
          code: 'path/index-missing',
          message: `${peripheral.name}.${sofar} is an array of ${node.dim.count}; name one element, e.g. ${segment.name}[0]`,
        };
      if (segment.index >= node.dim.count)
        return {
          code: 'path/index-out-of-range',
          message: `${peripheral.name}.${sofar}: index ${segment.index} is out of range (the array has ${node.dim.count} elements, 0..${node.dim.count - 1})`,
        };
      offset += node.dim.offsets?.[segment.index] ?? segment.index * node.dim.stride;
      indices.push(segment.index);
    } else if (segment.index !== undefined) {
      return { code: 'path/not-an-array', message: `${peripheral.name}.${segment.name} is not an array; ${sofar} names no element` };
    }
    if (node.kind === 'cluster') nodes = node.children;
    else register = node;
  }
  if (!register) return { code: 'path/not-found', message: `${path} names no register` };
  const base = { register, registerPath: formatElementPath(registerSegments), registerNames: registerSegments.map((s) => s.name), indices, offset };
  if (!fieldSegment) return base;
  const field = register.fields.find((f) => f.name === fieldSegment.name);
  if (!field) return { code: 'path/not-found', message: `${peripheral.name}.${base.registerPath} has no field ${fieldSegment.name}` };
  return { ...base, field };
}

export function isElementPathError(r: ResolvedElement | ElementPathError): r is ElementPathError {
  return 'code' in r;
}
