import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Cluster, Device, Field, Peripheral, Register, RegisterNode } from '../../ir/types.ts';
import { findByPath, type RegisterInstance } from '../../ir/walk.ts';
import type { ValidationRule } from '../rule.ts';
import {
  alternateRoots,
  arrayStep,
  byteRange,
  bySourceOrder,
  forEachOverlap,
  instancesOf,
  isReadWritePair,
  MAX_INSTANCES,
  namesNode,
  nodeExtent,
  PairSet,
  registerAccessClass,
  registerBytes,
  type Interval,
} from './rule-helpers.ts';

/** Past this many overlaps in one peripheral the map is broken wholesale; more lines would only bury the first. */
const MAX_REPORTS_PER_PERIPHERAL = 100;

/**
 * Registers must not share bytes, except a read-only/write-only pair (a receive register read and a
 * transmit register written at one address) or declared alternates (SVD alternateRegister /
 * alternateGroup / alternateCluster, native `alternateOf`). Every array element is checked, so
 * registers inside an array whose stride is too small are found too. Overlaps of one array with
 * itself are left to `array-stride`, which names the cause.
 */
export const registerOverlapRule: ValidationRule = {
  id: 'register-overlap',
  description: 'registers that share bytes, unless a read-only/write-only pair or declared alternates',
  codes: ['validate/register-overlap', 'validate/unknown-alternate', 'validate/array-too-large'],
  check(device, report) {
    for (const peripheral of device.peripherals) {
      const { instances, truncated } = instancesOf(peripheral);
      if (truncated) {
        report.warning(
          'validate/array-too-large',
          `${peripheral.name} expands to more than ${MAX_INSTANCES} register instances; overlap and alignment checks cover only the first ${MAX_INSTANCES}`,
          peripheral.span,
          { path: peripheral.path, hint: 'check the dim counts of its arrays' },
        );
      }
      // The excuses are a map or two over every register of the peripheral, needed only once two
      // registers overlap (rare), or for the unknown alternates they report (only where a node names one).
      let excused: ((a: Register, b: Register) => boolean) | undefined;
      const intervals: Interval<RegisterInstance>[] = instances.map((i) => ({ start: i.address, end: i.address + registerBytes(i.register), item: i }));
      const reported = new PairSet<Register>();
      let count = 0;
      forEachOverlap(intervals, (a, b) => {
        const ra = a.item.register;
        const rb = b.item.register;
        excused ??= overlapExcuses(peripheral, device, report);
        if (excused(ra, rb)) return true;
        if (isReadWritePair(registerAccessClass(ra), registerAccessClass(rb))) return true;
        if (!reported.add(ra, rb)) return true;
        const [first, second] = bySourceOrder(ra, rb);
        const [firstI, secondI] = first === ra ? [a, b] : [b, a];
        report.error(
          'validate/register-overlap',
          `register ${peripheral.name}.${secondI.item.name} (${byteRange(secondI.start, secondI.end)}) overlaps ${peripheral.name}.${firstI.item.name} (${byteRange(firstI.start, firstI.end)})`,
          second.span,
          {
            path: second.path,
            related: [{ message: `${first.path} is declared here`, span: first.span }],
            hint: 'move one of them, or make one read-only and the other write-only, or declare it an alternate (alternateOf)',
          },
        );
        return ++count < MAX_REPORTS_PER_PERIPHERAL;
      });
      if (excused === undefined && namesAlternate(peripheral.registers)) overlapExcuses(peripheral, device, report);
    }
  },
};

/** Whether a register or cluster at or below `nodes` names an alternate (`alternateOf`). */
function namesAlternate(nodes: readonly RegisterNode[]): boolean {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RegisterNode;
    if (node.alternateOf !== undefined || (node.kind === 'cluster' && namesAlternate(node.children))) return true;
  }
  return false;
}

/** Where a register sits: its enclosing clusters, outermost first, and its siblings. */
interface Placement {
  readonly clusters: readonly Cluster[];
  readonly siblings: readonly RegisterNode[];
}

/**
 * Builds the test "is this overlap deliberate or reported elsewhere?" for one peripheral:
 * - the same register node (an array overlapping itself: array-stride's finding);
 * - registers in the same too-tight cluster array (also array-stride's);
 * - alternates: the same alternate root, an SVD alternateGroup, or sitting in two sibling clusters
 *   that are alternates of each other;
 * - a register whose `alternateOf` names nothing: reported here as unknown-alternate instead, since
 *   the overlap is what its author meant.
 */
function overlapExcuses(peripheral: Peripheral, device: Device, report: DiagnosticCollector): (a: Register, b: Register) => boolean {
  const placements = new Map<Register, Placement>();
  const clusterRoots = new Map<Cluster, Cluster>();
  const tightArrays = new Set<Cluster>();
  const visit = (nodes: readonly RegisterNode[], clusters: readonly Cluster[]): void => {
    const siblingClusters = nodes.filter((n): n is Cluster => n.kind === 'cluster');
    const roots = alternateRoots(siblingClusters, (_node, name) => siblingClusters.find((c) => namesNode(c, name)));
    for (const [cluster, root] of roots) {
      clusterRoots.set(cluster, root);
      if (cluster.alternateOf !== undefined && root === cluster) reportUnknownAlternate(cluster, report);
    }
    // Every register of this level has the same placement: one object for them all.
    const placement: Placement = { clusters, siblings: nodes };
    for (const node of nodes) {
      if (node.kind === 'register') {
        placements.set(node, placement);
        continue;
      }
      const step = node.dim ? arrayStep(node.dim) : undefined;
      if (step !== undefined && step < nodeExtent(node)) tightArrays.add(node);
      visit(node.children, [...clusters, node]);
    }
  };
  visit(peripheral.registers, []);

  const registers = [...placements.keys()];
  const unresolved = new Set<Register>();
  const registerRoots = alternateRoots(registers, (register, name) => {
    const target = resolveAlternate(register, name, placements.get(register)?.siblings ?? [], peripheral, device);
    if (!target) unresolved.add(register);
    return target;
  });
  for (const register of unresolved) reportUnknownAlternate(register, report);

  const inAlternateClusters = (a: Register, b: Register): boolean => {
    const ca = placements.get(a)?.clusters ?? [];
    const cb = placements.get(b)?.clusters ?? [];
    for (const x of ca) {
      if (tightArrays.has(x) && cb.includes(x)) return true;
      const root = clusterRoots.get(x);
      if (cb.some((y) => y !== x && clusterRoots.get(y) === root)) return true;
    }
    return false;
  };
  return (a, b) =>
    a === b ||
    a.alternateGroup !== undefined ||
    b.alternateGroup !== undefined ||
    unresolved.has(a) ||
    unresolved.has(b) ||
    registerRoots.get(a) === registerRoots.get(b) ||
    inAlternateClusters(a, b);
}

function reportUnknownAlternate(node: Register | Cluster, report: DiagnosticCollector): void {
  report.error(
    'validate/unknown-alternate',
    `${node.path} is declared an alternate of ${JSON.stringify(node.alternateOf)}, which names no ${node.kind}`,
    node.span,
    {
      path: node.path,
      hint: `name a ${node.kind} of the same peripheral or cluster`,
    },
  );
}

/** The register an `alternateOf` names: a sibling (by name or array pattern), a path from the peripheral, or a full path. */
function resolveAlternate(register: Register, name: string, siblings: readonly RegisterNode[], peripheral: Peripheral, device: Device): Register | undefined {
  // In order, each looked up only when the one before names nothing (most name a sibling).
  const isOther = (c: Peripheral | RegisterNode | Field | undefined): c is Register => c?.kind === 'register' && c !== register;
  const sibling = siblings.find((s) => s.kind === 'register' && namesNode(s, name));
  if (isOther(sibling)) return sibling;
  const inPeripheral = findByPath(device, `${peripheral.name}.${name}`);
  if (isOther(inPeripheral)) return inPeripheral;
  const anywhere = findByPath(device, name);
  return isOther(anywhere) ? anywhere : undefined;
}
