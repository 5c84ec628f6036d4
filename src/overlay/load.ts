import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StageResult } from '../diagnostics/types.ts';
import { fileSpan } from '../diagnostics/source-text.ts';
import { integerBig, integerValue } from '../importers/native-yaml/schema.ts';
import type { LocatedYaml } from '../yaml/index.ts';
import { loadYamlWithSchema } from '../yaml/index.ts';
import type { FieldAccess } from '../ir/types.ts';
import { overlaySchema, type FieldFixInput, type PeripheralEntryInput } from './schema.ts';
import type { FieldFix, Overlay, PeripheralOverlay, RegisterFix, Waiver } from './model.ts';

const SW_ALIASES: Readonly<Record<string, FieldAccess['sw']>> = { ro: 'r', wo: 'w' };

function fieldFix(pattern: string, key: string, input: FieldFixInput, located: LocatedYaml, at: readonly string[]): FieldFix | undefined {
  const dot = key.lastIndexOf('.');
  const span = located.span([...at, key], 'key');
  if (dot <= 0 || dot === key.length - 1) return undefined;
  return {
    id: `field:${pattern}:${key}`,
    what: `field ${pattern}.${key}`,
    span,
    register: key.slice(0, dot),
    field: key.slice(dot + 1),
    ...(input.access !== undefined ? { access: SW_ALIASES[input.access] ?? (input.access as FieldAccess['sw']) } : {}),
    ...(input.onread !== undefined ? { onRead: input.onread === 'none' ? null : input.onread === 'fifo' ? 'external' : input.onread } : {}),
    ...(input.onwrite !== undefined ? { onWrite: input.onwrite === 'none' ? null : input.onwrite } : {}),
    ...(input.reset !== undefined ? { reset: integerBig(input.reset) } : {}),
    ...(input.range !== undefined ? { range: [integerValue(input.range[0]), integerValue(input.range[1])] as const } : {}),
  };
}

function peripheralOverlay(
  pattern: string,
  input: PeripheralEntryInput,
  located: LocatedYaml,
  diagnostics: import('../diagnostics/types.ts').Diagnostic[],
): PeripheralOverlay {
  const at = ['peripherals', pattern];
  const registers: RegisterFix[] = Object.entries(input.registers ?? {}).map(([key, fix]) => ({
    id: `register:${pattern}:${key}`,
    what: `register ${pattern}.${key}`,
    span: located.span([...at, 'registers', key], 'key'),
    register: key,
    ...(fix.reset !== undefined ? { reset: integerBig(fix.reset) } : {}),
  }));
  const fields: FieldFix[] = [];
  for (const [key, fix] of Object.entries(input.fields ?? {})) {
    const parsed = fieldFix(pattern, key, fix, located, [...at, 'fields']);
    if (parsed) fields.push(parsed);
    else
      diagnostics.push({
        code: 'overlay/bad-field-path',
        severity: 'error',
        message: `${key} is not REGISTER.FIELD`,
        span: located.span([...at, 'fields', key], 'key'),
      });
  }
  const irq = input.irq;
  const interrupts =
    irq === undefined
      ? undefined
      : typeof irq === 'object'
        ? Object.entries(irq).map(([name, value]) => ({ name, value: integerValue(value), span: located.span([...at, 'irq', name], 'key') }))
        : undefined;
  return {
    id: `peripheral:${pattern}`,
    what: `peripheral ${pattern}`,
    span: located.span(at, 'key'),
    pattern,
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    // A single number is named after each matched peripheral when applied (see apply.ts).
    ...(interrupts
      ? { interrupts }
      : irq !== undefined
        ? { interrupts: [{ name: '', value: integerValue(irq as string | number), span: located.span([...at, 'irq']) }] }
        : {}),
    quantities: Object.entries(input.quantities ?? {}).map(([name, q]) => ({
      name,
      span: located.span([...at, 'quantities', name]),
      expression: typeof q === 'string' ? q : q.expr,
      ...(typeof q === 'object' && q.unit !== undefined ? { unit: q.unit } : {}),
    })),
    behaviours: (input.behaviours ?? []).map((b, i) => ({ trigger: b.on, actions: b.do, span: located.span([...at, 'behaviours', i]) })),
    ...(input.aliases
      ? {
          aliases: {
            ...(input.aliases.set !== undefined ? { set: integerValue(input.aliases.set) } : {}),
            ...(input.aliases.clear !== undefined ? { clear: integerValue(input.aliases.clear) } : {}),
            ...(input.aliases.toggle !== undefined ? { toggle: integerValue(input.aliases.toggle) } : {}),
          },
        }
      : {}),
    registers,
    fields,
  };
}

/** Parses an overlay's text: schema errors are located at the offending key or value. */
export function parseOverlay(text: string, file: string): StageResult<Overlay> & { readonly located?: LocatedYaml } {
  const loaded = loadYamlWithSchema(text, file, overlaySchema, 'overlay');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics, located: loaded.located };
  const input = loaded.value;
  const located = loaded.located;
  const diagnostics = [...loaded.diagnostics];
  const waivers: Waiver[] = (input.waivers ?? []).map((w, i) => ({
    id: `waiver:${i}`,
    what: `waiver of ${w.rule} at ${w.path}`,
    span: located.span(['waivers', i]),
    rule: w.rule,
    path: w.path,
    reason: w.reason,
  }));
  const overlay: Overlay = {
    file,
    ...(input.board !== undefined ? { board: input.board } : {}),
    clocks: Object.entries(input.clocks ?? {}).map(([name, hz]) => ({ name, hz: integerValue(hz), span: located.span(['clocks', name], 'key') })),
    peripherals: Object.entries(input.peripherals ?? {}).map(([pattern, entry]) => peripheralOverlay(pattern, entry, located, diagnostics)),
    waivers,
  };
  if (diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics, located };
  return { value: overlay, diagnostics, located };
}

/** Loads an overlay file, named relative to `cwd` (the command's working directory; spans keep the name). */
export function loadOverlay(file: string, cwd?: string): StageResult<Overlay> & { readonly located?: LocatedYaml } {
  let text: string;
  try {
    text = readFileSync(cwd === undefined ? file : resolve(cwd, file), 'utf8');
  } catch (error) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'overlay/unreadable',
          severity: 'error',
          message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          span: fileSpan(file),
        },
      ],
    };
  }
  return parseOverlay(text, file);
}
