import type { Diagnostic } from '../../diagnostics/types.ts';
import type { Device, Interrupt, Peripheral, SourceSpan } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { parameterResolver, type NameResolver } from './expression.ts';
import { alertKeys, interruptKeys, paramKeys, topKeys } from './keys.ts';
import { BlockContext, type Signal, stringOrUndefined } from './block-context.ts';
import { RegBlockBuilder } from './reg-block.ts';
import { entryOf, valueOf, ValueReader, type LocatedObject, type LocatedValue } from '../../yaml/index.ts';
import { reggenBoolean } from './booleans.ts';

/**
 * OpenTitan reggen hjson → IR, laying registers out the way reggen does (util/reggen/reg_block.py):
 *
 * - Offsets are implicit: each register takes `regwidth / 8` bytes after the previous one;
 *   `reserved: N` skips N registers, `skipto: A` jumps to A.
 * - With an `interrupt_list`, INTR_STATE / INTR_ENABLE / INTR_TEST come first (one field per
 *   interrupt, `width` bits each, packed from bit 0), then ALERT_TEST with an `alert_list`
 *   (unless `no_auto_intr_regs` / `no_auto_alert_regs`).
 * - `multireg` without compaction is a register array (`dim`, stride one register) named as reggen
 *   names the copies (`NAME_0`, `NAME_1`…); a count of 1 is a plain register `NAME`. Compacted
 *   multiregs (one field, reggen's default) put `regwidth / (msb+1)` copies in one register: a single
 *   register becomes one register with a field array; several become registers `NAME_0`… each with a
 *   field array whose `indices` are reggen's copy numbers (e.g. CMD_FILTER_1 holds filter_32…63).
 *   Field names keep their base name; reggen's `_N` suffix is the array index.
 * - A `window` is aligned to its power-of-two size and becomes a register array of `items` words
 *   (one field DATA of `validbits` bits) plus an address block of usage `buffer`.
 * - Field reset: the field's `resval`, else bits of the register `resval`, else 0 — except for
 *   `hwext` registers, whose fields are not reset ("x"), as in current reggen. `resval: "x"` is
 *   not reset. `mubi` fields take the multi-bit boolean encoding of a true/false resval.
 */
export function reggenToIr(root: LocatedValue, limits: ImportLimits, diagnostics: Diagnostic[]): Device | undefined {
  const reader = new ValueReader('hjson', diagnostics);
  const top = reader.object(root, 'the document');
  if (!top) return undefined;
  reader.unknownKeys(top, topKeys, 'the block description');
  const nameValue = reader.required(top, 'name', 'the block description');
  const name = reader.string(nameValue, 'name');
  if (name === undefined || nameValue === undefined) return undefined;

  const regWidthValue = valueOf(top, 'regwidth');
  const regWidth = regWidthValue === undefined ? 32 : reader.integer(regWidthValue, 'regwidth');
  if (regWidth === undefined) return undefined;
  if (regWidth % 8 !== 0 || regWidth === 0 || regWidth > 64) {
    reader.error('bad-regwidth', `regwidth ${regWidth} must be a positive multiple of 8 of at most 64`, regWidthValue?.span ?? nameValue.span);
    return undefined;
  }

  const context = new BlockContext(reader, name, regWidth, readParams(top, reader), limits);
  const registersValue = reader.required(top, 'registers', 'the block description');
  if (registersValue === undefined) return undefined;

  // The register list may also be a dictionary of named lists, one per bus interface (reggen's
  // "complicated syntax"); each becomes its own peripheral, the first keeping the block name.
  const blocks: { suffix: string; list: LocatedValue; span: SourceSpan; addressSpace?: string }[] = [];
  if (registersValue.kind === 'object') {
    registersValue.entries.forEach((e, i) =>
      blocks.push({
        suffix: i === 0 ? '' : `_${e.key}`,
        list: e.value,
        span: e.keySpan,
        ...(registersValue.entries.length > 1 ? { addressSpace: e.key } : {}),
      }),
    );
  } else {
    blocks.push({ suffix: '', list: registersValue, span: entryOf(top, 'registers')?.keySpan ?? registersValue.span });
  }

  const interrupts = readSignals(top, 'interrupt_list', reader, interruptKeys, regWidth);
  const alerts = readSignals(top, 'alert_list', reader, alertKeys, regWidth);
  const version = versionOf(top, reader);
  const description = stringOrUndefined(valueOf(top, 'one_line_desc') ?? valueOf(top, 'human_name'));

  const peripherals: Peripheral[] = [];
  blocks.forEach((block, index) => {
    const builder = new RegBlockBuilder(context, `${name}${block.suffix}`);
    if (index === 0) {
      if (interrupts.length > 0 && reggenBoolean(reader, valueOf(top, 'no_auto_intr_regs'), 'no_auto_intr_regs') !== true) {
        builder.addInterruptRegisters(interrupts, entryOf(top, 'interrupt_list')?.keySpan ?? nameValue.span);
      }
      if (alerts.length > 0 && reggenBoolean(reader, valueOf(top, 'no_auto_alert_regs'), 'no_auto_alert_regs') !== true) {
        builder.addAlertRegister(alerts, entryOf(top, 'alert_list')?.keySpan ?? nameValue.span);
      }
    }
    const list = reader.array(block.list, 'registers');
    for (const entry of list?.items ?? []) builder.addEntry(entry);
    peripherals.push({
      kind: 'peripheral',
      name: builder.peripheralName,
      path: builder.peripheralName,
      span: index === 0 ? nameValue.span : block.span,
      ...(description !== undefined ? { description } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(block.addressSpace !== undefined ? { addressSpace: block.addressSpace } : {}),
      baseAddress: 0,
      addressBlocks: builder.addressBlocks(),
      interrupts:
        index === 0
          ? interrupts.map((s): Interrupt => ({ name: s.name, span: s.span, value: s.lsb, ...(s.desc !== undefined ? { description: s.desc } : {}) }))
          : [],
      registers: builder.registers,
      quantities: [],
      behaviours: [],
    });
  });

  if (context.nodeCount > limits.maxNodes) {
    reader.error('too-many-nodes', `${name} describes ${context.nodeCount} registers and fields; the limit is ${limits.maxNodes}`, nameValue.span);
  }
  return {
    kind: 'device',
    name,
    span: nameValue.span,
    ...(description !== undefined ? { description } : {}),
    ...(version !== undefined ? { version } : {}),
    width: regWidth,
    addressUnitBits: 8,
    clocks: [],
    peripherals,
    sourceFormat: 'hjson',
  };
}

/** `version`, else the last entry of `revisions` (reggen lists them oldest first). */
function versionOf(top: LocatedObject, reader: ValueReader): string | undefined {
  const direct = stringOrUndefined(valueOf(top, 'version'));
  if (direct !== undefined) return direct;
  const revisions = valueOf(top, 'revisions');
  if (revisions?.kind !== 'array') return undefined;
  const last = reader.object(revisions.items[revisions.items.length - 1], 'a revision');
  return last === undefined ? undefined : stringOrUndefined(valueOf(last, 'version'));
}

function readParams(top: LocatedObject, reader: ValueReader): NameResolver {
  const defaults = new Map<string, string | number>();
  const list = reader.array(valueOf(top, 'param_list'), 'param_list');
  for (const item of list?.items ?? []) {
    const param = reader.object(item, 'a parameter');
    if (!param) continue;
    reader.unknownKeys(param, paramKeys, 'a parameter');
    const name = reader.string(reader.required(param, 'name', 'a parameter'), 'parameter name');
    const value = valueOf(param, 'default');
    if (name === undefined || value === undefined || value.kind !== 'scalar') continue;
    if (typeof value.value === 'number' || typeof value.value === 'string') defaults.set(name, value.value);
    else if (typeof value.value === 'boolean') defaults.set(name, value.value ? 1 : 0);
  }
  return parameterResolver(defaults);
}

/** Interrupts and alerts, packed from bit 0 in list order (reggen's Interrupt.from_raw_list). */
function readSignals(top: LocatedObject, key: string, reader: ValueReader, known: ReadonlySet<string>, regWidth: number): Signal[] {
  const list = reader.array(valueOf(top, key), key);
  const out: Signal[] = [];
  let lsb = 0;
  for (const item of list?.items ?? []) {
    const obj = reader.object(item, `an entry of ${key}`);
    if (!obj) continue;
    reader.unknownKeys(obj, known, `an entry of ${key}`);
    const nameValue = reader.required(obj, 'name', `an entry of ${key}`);
    const name = reader.string(nameValue, 'name');
    const widthValue = valueOf(obj, 'width');
    const width = widthValue === undefined ? 1 : reader.integer(widthValue, 'width');
    if (name === undefined || nameValue === undefined || width === undefined) continue;
    if (width === 0 || lsb + width > regWidth) {
      reader.error(
        'bad-signal-width',
        `${key} entry ${name} needs bits ${lsb + width - 1}:${lsb}, which do not fit a ${regWidth}-bit register`,
        widthValue?.span ?? nameValue.span,
      );
      continue;
    }
    const typeValue = valueOf(obj, 'type');
    const type = typeValue === undefined ? 'event' : reader.string(typeValue, 'type')?.toLowerCase();
    if (type !== undefined && type !== 'event' && type !== 'status') {
      reader.error('bad-interrupt-type', `interrupt type ${JSON.stringify(type)} must be "event" or "status"`, typeValue?.span ?? nameValue.span);
    }
    const defaultValue = valueOf(obj, 'default');
    const reset = defaultValue === undefined ? 0 : (reader.integer(defaultValue, 'default') ?? 0);
    const desc = stringOrUndefined(valueOf(obj, 'desc'));
    out.push({ name, span: nameValue.span, lsb, width, status: type === 'status', reset, ...(desc !== undefined ? { desc } : {}) });
    lsb += width;
  }
  return out;
}

export { resetOf } from './reg-block.ts';
export { mubiValue } from './register-template.ts';
