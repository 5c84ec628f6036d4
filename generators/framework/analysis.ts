import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { byNumberThenName } from '../../src/ir/canonical.ts';
import type { Device, Peripheral } from '../../src/ir/types.ts';
import { analyseNodes, flatRegisters } from './analyse-nodes.ts';
import type { DeviceAnalysis, NodeView, PeripheralView } from './analysis-types.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';
import { layoutSignature, layoutTypeNames, sameLayout } from './layout-names.ts';
import { peripheralAnalysed } from './progress.ts';

/**
 * The language-neutral analysis every target's view-model starts from: names checked, arrays
 * normalised, masks computed, and — the part that matters for safety — how each field must be
 * treated by a read-modify-write. Computed once per run and shared by all targets.
 */
export type {
  ArrayLevel,
  ClearMethod,
  ClusterView,
  DeviceAnalysis,
  EnumValueView,
  FieldArray,
  FieldView,
  Neutral,
  NodeView,
  PeripheralView,
  RegisterView,
} from './analysis-types.ts';
export { placeField } from './analyse-fields.ts';

/** Peripheral arrays become one peripheral per element (targets address peripherals by name). */
function expandPeripherals(peripherals: readonly Peripheral[]): Peripheral[] {
  return peripherals.flatMap((p) => {
    if (!p.dim) return [p];
    const dim = p.dim;
    return Array.from({ length: dim.count }, (_, i) => {
      const label = dim.indices?.[i] ?? String(i);
      const name = dim.namePattern ? dim.namePattern.replace(/\[%s\]|%s/, label) : `${p.name}${label}`;
      const { dim: _dim, ...rest } = p;
      return { ...rest, name, path: name, baseAddress: p.baseAddress + (dim.offsets?.[i] ?? i * dim.stride) };
    });
  });
}

/** Analyses are shared by every target of one run: the IR is immutable, so the device object is the key. */
const analysisCache = new WeakMap<Device, { analysis: DeviceAnalysis; diagnostics: readonly Diagnostic[] }>();

export function analyseDevice(device: Device, diagnostics: Diagnostic[]): DeviceAnalysis {
  const cached = analysisCache.get(device);
  if (cached) {
    diagnostics.push(...cached.diagnostics);
    return cached.analysis;
  }
  const own: Diagnostic[] = [];
  const analysis = analyseUncached(device, own);
  analysisCache.set(device, { analysis, diagnostics: own });
  diagnostics.push(...own);
  return analysis;
}

function analyseUncached(device: Device, diagnostics: Diagnostic[]): DeviceAnalysis {
  // Canonical order (as src/ir/canonical.ts sorts), list by list: see analyse-nodes.ts.
  const byBase = byNumberThenName<Peripheral>((p) => p.baseAddress);
  const analysed: { p: Peripheral; nodes: NodeView[]; group: number }[] = [];
  // Peripherals of one layout (and the same atomic aliases: register macros use them) form a group.
  const groups: { nodes: readonly NodeView[]; members: Peripheral[] }[] = [];
  const bySignature = new Map<string, number[]>();
  const expanded = expandPeripherals([...device.peripherals].sort(byBase));
  for (const [index, p] of expanded.entries()) {
    peripheralAnalysed(p.name, index + 1, expanded.length);
    if (!isSafeIdentifier(p.name)) {
      diagnostics.push(unsafeNameDiagnostic('peripheral', p.name, p.path, p.span));
      continue;
    }
    const nodes = analyseNodes(p.registers, [], [], 0, diagnostics);
    // Register macros are shared by peripherals of one layout, so the aliases they use are part of it.
    const signature = `${layoutSignature(nodes)}|${JSON.stringify(p.atomicAliases ?? null)}`;
    let candidates = bySignature.get(signature);
    if (candidates === undefined) bySignature.set(signature, (candidates = []));
    let group = candidates.find((g) => sameLayout(groups[g]!.nodes, nodes));
    if (group === undefined) {
      group = groups.push({ nodes, members: [] }) - 1;
      candidates.push(group);
    }
    groups[group]!.members.push(p);
    analysed.push({ p, nodes, group });
  }
  const names = layoutTypeNames(groups.map((g) => g.members));
  const peripherals: PeripheralView[] = [];
  const types: PeripheralView[] = [];
  for (const { p, nodes, group } of analysed) {
    const owner = groups[group]!.members[0]!.name;
    const view: PeripheralView = {
      name: p.name,
      path: p.path,
      span: p.span,
      ...(p.description !== undefined ? { description: p.description } : {}),
      baseAddress: p.baseAddress,
      ...(p.driverKind !== undefined ? { driverKind: p.driverKind } : {}),
      interrupts: [...p.interrupts]
        .sort(byNumberThenName((i) => i.value))
        .filter((i) => isSafeIdentifier(i.name))
        .map((i) => ({ name: i.name, value: i.value })),
      typeName: names[group]!,
      typeOwner: owner,
      ownsType: owner === p.name,
      nodes,
      registers: flatRegisters(nodes),
      ...(p.atomicAliases ? { atomicAliases: p.atomicAliases } : {}),
    };
    peripherals.push(view);
    if (view.ownsType) types.push(view);
  }
  return { device, peripherals, types };
}
