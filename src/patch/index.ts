import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeSpecBytes } from '../importers/spec-bytes.ts';
import type { SourceText } from '../diagnostics/source-text.ts';
import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { svdToIr } from '../importers/svd/index.ts';
import { resolveLimits, type Importer, type ImportOptions } from '../importers/types.ts';
import { svdPatchFormat } from '../importers/formats.ts';
import { parseXml, xmlLimitsFrom, type XmlElement } from '../importers/xml/index.ts';
import { loadPatch, readable, type LoadedPatch } from './load.ts';
import { get, PatchError, type PatchMap } from './node.ts';
import { processDevice } from './ops/device.ts';

/**
 * svdtools-compatible SVD patches (the YAML format stm32-rs keeps for every STM32), applied to the
 * SVD element tree before the SVD importer turns it into the IR. See docs/svd-patches.md.
 *
 * - `loadSvdPatch(file)`: the patch with its `_include`s merged, every value located.
 * - `applySvdPatch(root, patch)`: edits a parsed SVD `<device>` tree in place.
 * - `importPatchedSvd(patchFile)`: reads the patch, the SVD its `_svd` names (relative to the patch;
 *   `x.svd.gz` is used when `x.svd` is absent), patches and imports: the whole stage.
 * - `svdPatchImporter`: the same as an importer, so every command that reads a hardware spec
 *   (import, validate, specdrive.yaml revisions) accepts a patch file where it accepts an SVD.
 *
 * The first failing operation stops the patch (as svdtools does) with one located `patch/...` error;
 * no device is produced then.
 */
export { loadPatch as loadSvdPatch, type LoadedPatch } from './load.ts';
export { PatchError, type PatchMap, type PatchValue, type PatchEntry } from './node.ts';
export { matchName, parseSpec } from './glob.ts';

function failure(error: PatchError): Diagnostic {
  return {
    code: error.code,
    severity: 'error',
    message: error.message,
    ...(error.span ? { span: error.span } : {}),
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

/** Applies a loaded patch to a parsed SVD `<device>` element, in place. */
export function applySvdPatch(device: XmlElement, patch: PatchMap, patchFile: string, cwd?: string): readonly Diagnostic[] {
  try {
    processDevice(device, patch, patchFile, cwd);
    return [];
  } catch (error) {
    if (error instanceof PatchError) return [failure(error)];
    throw error;
  }
}

/** The SVD file a patch names with `_svd`, or a located error. */
export function patchedSvdPath(patch: PatchMap, patchFile: string, cwd?: string): { path?: string; diagnostic?: Diagnostic } {
  const svd = get(patch, '_svd');
  if (svd?.kind !== 'scalar' || typeof svd.value !== 'string') {
    return {
      diagnostic: failure(new PatchError('patch/no-svd', 'the device patch must name its SVD file with _svd (relative to the patch)', svd?.span ?? patch.span)),
    };
  }
  // join, not resolve: a relative patch path keeps spans and messages relative (the same wherever the checkout is).
  const path = join(dirname(patchFile), svd.value);
  if (existsSync(readable(path, cwd))) return { path };
  if (existsSync(readable(`${path}.gz`, cwd))) return { path: `${path}.gz` };
  return { diagnostic: failure(new PatchError('patch/svd-not-found', `_svd: ${svd.value} not found (looked for ${path} and ${path}.gz)`, svd.span)) };
}

export interface PatchedSvd {
  /** The patched `<device>` element and the SVD text it came from (spans of untouched elements point there). */
  readonly tree?: { readonly root: XmlElement; readonly source: SourceText };
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read: the patch, its includes, the SVD. */
  readonly files: readonly string[];
}

/** Reads the patch and the SVD it names and applies the patch: the patched SVD element tree. */
export function patchSvdFile(patchFile: string, patchText?: string, options?: ImportOptions): PatchedSvd {
  const cwd = options?.cwd;
  const loaded: LoadedPatch = loadPatch(patchFile, patchText, cwd);
  if (loaded.diagnostics.length > 0) return { diagnostics: loaded.diagnostics, files: loaded.files };
  const { path, diagnostic } = patchedSvdPath(loaded.root, patchFile, cwd);
  if (!path) return { diagnostics: diagnostic ? [diagnostic] : [], files: loaded.files };
  const files = [...loaded.files, path];
  const limits = resolveLimits(options);
  const bytes = readFileSync(readable(path, cwd));
  const text = decodeSpecBytes(path, bytes, limits.maxBytes);
  const parsed = parseXml(text, path, xmlLimitsFrom(limits));
  if (!parsed.value) return { diagnostics: parsed.diagnostics, files };
  const patchDiagnostics = applySvdPatch(parsed.value.root, loaded.root, patchFile, cwd);
  if (patchDiagnostics.length > 0) return { diagnostics: patchDiagnostics, files };
  return { tree: { root: parsed.value.root, source: parsed.value.source }, diagnostics: [], files };
}

/** Reads, patches and imports: the device an svdtools patch describes. */
export function importPatchedSvd(patchFile: string, patchText?: string, options?: ImportOptions): StageResult<Device> & { readonly files: readonly string[] } {
  const patched = patchSvdFile(patchFile, patchText, options);
  if (!patched.tree) return { value: undefined, diagnostics: patched.diagnostics, files: patched.files };
  const converted = svdToIr(patched.tree.root, patched.tree.source, resolveLimits(options));
  return { value: converted.value, diagnostics: converted.diagnostics, files: patched.files };
}

export { looksLikeSvdPatch } from '../importers/formats.ts';

export const svdPatchImporter: Importer = { ...svdPatchFormat, import: (text, file, options) => importPatchedSvd(file, text, options) };
