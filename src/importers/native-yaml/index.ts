import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import { loadYamlWithSchema } from '../../yaml/index.ts';
import type { Importer, ImportLimits, ImportOptions } from '../types.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { SourceText } from '../../diagnostics/source-text.ts';
import { walkDevice } from '../../ir/walk.ts';
import { resolveLimits } from '../types.ts';
import { nativeYamlFormat } from '../formats.ts';
import { hardwareSpecSchema } from './schema.ts';
import { nativeToIr } from './to-ir.ts';

export { hardwareSpecSchema, hardwareJsonSchema, HARDWARE_SPEC_ID, integerValue } from './schema.ts';
export { parseBits } from './to-ir.ts';

export function importNativeYaml(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  const early = nodeCountGuard(text, file, limits);
  if (early) return { value: undefined, diagnostics: [early] };
  const loaded = loadYamlWithSchema(text, file, hardwareSpecSchema, 'hardware', {
    maxBytes: limits.maxBytes,
    maxAliasCount: 100,
    maxDepth: limits.maxDepth,
  });
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics];
  const device = nativeToIr(loaded.value, loaded.located, diagnostics);
  const overLimits = checkLimits(device, limits);
  if (overLimits.length > 0) return { value: undefined, diagnostics: [...diagnostics, ...overLimits] };
  return { value: device, diagnostics };
}

/**
 * A cheap count before parsing: every register has an `offset:` and every field a `bits:`, so a file
 * with more of them than `maxNodes` is refused before the YAML tree and its copies take memory.
 * The diagnostic points at the first key over the limit.
 */
function nodeCountGuard(text: string, file: string, limits: ImportLimits): Diagnostic | undefined {
  const keys = /(?:^|[\s{,])(?:offset|bits)\s*:/g;
  let count = 0;
  for (let m = keys.exec(text); m; m = keys.exec(text)) {
    if (++count > limits.maxNodes) {
      return {
        code: 'limits/too-many-nodes',
        severity: 'error',
        message: `${file} describes more than ${limits.maxNodes} registers and fields`,
        span: new SourceText(file, text).span(m.index + 1),
        hint: 'raise ImportLimits.maxNodes if the device really is that large',
      };
    }
  }
  return undefined;
}

/**
 * The resource limits every importer honours. Arrays stay unexpanded in the IR, but later stages
 * (simulator, generators, validation) walk their elements, so an absurd `dim` is refused here.
 */
function checkLimits(device: Device, limits: ImportLimits): Diagnostic[] {
  const found: Diagnostic[] = [];
  let nodes = 0;
  const dimTooLarge = (node: { dim?: { count: number }; span: Diagnostic['span']; path: string }): void => {
    if (node.dim && node.dim.count > limits.maxDim) {
      found.push({
        code: 'hardware/dim-too-large',
        severity: 'error',
        message: `${node.path} is an array of ${node.dim.count} elements; the limit is ${limits.maxDim}`,
        span: node.span,
        path: node.path,
        hint: 'raise ImportLimits.maxDim if the device really has that many',
      });
    }
  };
  for (const p of device.peripherals) dimTooLarge(p);
  walkDevice(device, {
    enterCluster: (c) => dimTooLarge(c),
    enterRegister: (r) => {
      nodes++;
      dimTooLarge(r);
    },
    enterField: (f) => {
      nodes++;
      dimTooLarge(f);
    },
  });
  if (nodes > limits.maxNodes) {
    found.push({
      code: 'limits/too-many-nodes',
      severity: 'error',
      message: `${device.name} describes ${nodes} registers and fields; the limit is ${limits.maxNodes}`,
      span: device.span,
      hint: 'raise ImportLimits.maxNodes if the device really is that large',
    });
  }
  return found;
}

export const nativeYamlImporter: Importer = { ...nativeYamlFormat, import: importNativeYaml };
