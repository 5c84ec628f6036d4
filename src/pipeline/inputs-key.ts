/**
 * The cache keys of `specdrive ci`: what a revision's result is a function of. Every path that goes
 * into a key is relative (to the project root, or to specdrive's own root), and source spans are
 * hashed with project-relative file names, so a key is the same wherever the checkout lives and the
 * cache can move between folders and machines.
 */
import { canonicalJson, specHash } from '../ir/canonical.ts';
import { relative } from 'node:path';
import { projectPath, type Project } from '../project/index.ts';
import { filesHash, sha256 } from '../hash/index.ts';
import { filesUnder } from './files.ts';
import { packagePath, packageRoot, runningFromSource } from '../package/root.ts';
import type { SoftwareSpecs } from './load-software-specs.ts';
import type { Revision } from './check.ts';

export const PIPELINE_VERSION = '2';

/**
 * A fingerprint of specdrive itself (its sources, templates, matcher weights and solver): a cached
 * revision result is only as good as the tool that computed it. Computed once per process.
 */
let fingerprint: string | undefined;
export function toolFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  // From a checkout the sources run; from the installed package the bundle in dist/ does, beside the
  // shipped templates, runtimes and weights (under generators/ and src/).
  const codeDirs = runningFromSource ? ['src', 'generators', 'firmware-sim'] : ['dist', 'src', 'generators'];
  const files = codeDirs.flatMap((dir) => filesUnder(packagePath(dir), (name) => /\.(ts|js|cjs|hbs|json|py|wasm)$/.test(name)));
  files.push(packagePath('wasm-core', 'specdrive_core.wasm'));
  fingerprint = filesHash(files, packageRoot);
  return fingerprint;
}

export interface InputsKeys {
  /** The key of one revision's whole result. */
  inputsKey(revision: Revision, predecessor: Revision | undefined): string;
  /** The content of the board's other revisions (an input only when a configuration is unmet). */
  siblingsKey(revision: Revision): string;
}

export function inputsKeys(project: Project, specs: SoftwareSpecs, revisions: readonly Revision[], stageVersions: string, engine: string): InputsKeys {
  // Overlays are inputs too: a waiver changes a revision's findings without changing its device.
  const overlays = [...new Set(project.boards.flatMap((b) => (b.overlay !== undefined ? [b.overlay] : [])))];
  const softwareKey = filesHash(
    [...project.contracts, ...project.configs, ...project.profiles, ...overlays].map((p) => projectPath(project, p)),
    project.root,
  );
  // Spans name files relative to the command's working directory: so does the root they are made relative to.
  const spanRoot = relative(project.cwd, project.root) || '.';
  // A revision's results quote other revisions' source spans (the diff's `before` side in its
  // predecessor, a conflict's hardware side in a contract's reference revision), so the located
  // content of those revisions is part of its inputs: moving their lines must redo it.
  const memo = (compute: (r: Revision) => string): ((r: Revision) => string) => {
    const hashes = new Map<Revision, string>();
    return (r) => hashes.get(r) ?? hashes.set(r, compute(r)).get(r)!;
  };
  const locatedHash = memo((r) => sha256(canonicalJson(r.device, { spans: true, spanRoot })));
  const contentHash = memo((r) => specHash(r.device));
  const referencesOf = (revision: Revision): Revision[] =>
    revisions.filter(
      (r) =>
        r !== revision && r.board === revision.board && specs.contracts.some((c) => c.writtenFor.board === r.board && c.writtenFor.revision === r.revision),
    );
  return {
    inputsKey: (revision, predecessor) =>
      sha256(
        [
          PIPELINE_VERSION,
          toolFingerprint(),
          stageVersions,
          engine,
          locatedHash(revision),
          predecessor ? locatedHash(predecessor) : '-',
          referencesOf(revision).map(locatedHash).join(','),
          softwareKey,
          project.targets.join(','),
        ].join('\n'),
      ),
    siblingsKey: (revision) =>
      sha256(
        revisions
          .filter((r) => r.board === revision.board && r !== revision)
          .map(contentHash)
          .join(','),
      ),
  };
}
