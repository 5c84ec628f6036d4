import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ImportLimits } from '../importers/types.ts';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { fileSpan } from '../diagnostics/source-text.ts';
import type { SourceSpan } from '../ir/types.ts';
import { loadYamlWithSchema } from '../yaml/index.ts';
import { projectSchema, type ProjectInput } from './schema.ts';

export interface BoardRevisions {
  readonly board: string;
  readonly span: SourceSpan;
  /** Revision spec files, oldest first. */
  readonly files: readonly string[];
  /** Revision names given in the project file, by file (otherwise the spec's own revision or version). */
  readonly revisionNames?: ReadonlyMap<string, string>;
  /** The board overlay applied to every revision. */
  readonly overlay?: string;
}

export interface Project {
  /**
   * The working directory of the command that loaded the project: every path below (the project
   * file, revisions, overlays, software specs, output, policy) is relative to it, so spans and
   * reports read as the user typed them; readers resolve them with `projectPath`.
   */
  readonly cwd: string;
  readonly file: string;
  readonly root: string;
  readonly name: string;
  readonly boards: readonly BoardRevisions[];
  readonly contracts: readonly string[];
  readonly configs: readonly string[];
  readonly profiles: readonly string[];
  readonly targets: ProjectInput['targets'];
  readonly output: string;
  readonly policy?: string;
  readonly failOn: ProjectInput['fail_on'];
  /** Import limits from `limits:` (unset ones keep their defaults). */
  readonly limits: Partial<ImportLimits>;
}

const SPEC_EXTENSIONS = /\.(ya?ml|svd|svd\.gz|xml|hjson|rdl)$/i;

/** Expands `dir/*.yaml`-style patterns (one `*` in the last segment) relative to the project root. */
function expand(root: string, pattern: string): string[] {
  const full = resolve(root, pattern);
  const base = full.slice(full.lastIndexOf('/') + 1);
  if (!base.includes('*')) return [full];
  const dir = dirname(full);
  const re = new RegExp(
    '^' +
      base
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  try {
    return readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * Orders a board folder's revisions by their `supersedes:` chain. Reads only the header lines, so
 * ordering a folder stays cheap however big the specs are.
 */
export function orderRevisions(files: readonly string[], span: SourceSpan, diagnostics: Diagnostic[]): string[] {
  const header = (file: string): { revision?: string; supersedes?: string } => {
    const head = readFileSync(file, 'utf8').slice(0, 4096);
    const revision = /^revision:\s*([^\s#]+)/m.exec(head)?.[1];
    const supersedes = /^supersedes:\s*([^\s#]+)/m.exec(head)?.[1];
    return { ...(revision ? { revision } : {}), ...(supersedes ? { supersedes } : {}) };
  };
  const infos = files.map((file) => ({ file, ...header(file) }));
  const byRevision = new Map(infos.filter((i) => i.revision).map((i) => [i.revision as string, i]));
  const roots = infos.filter((i) => !i.supersedes || !byRevision.has(i.supersedes));
  if (roots.length !== 1 && infos.every((i) => i.revision)) {
    diagnostics.push({
      code: 'project/revision-order',
      severity: 'warning',
      message: `cannot order revisions by supersedes (${roots.length} without a predecessor); using file-name order`,
      span,
    });
    return [...files].sort();
  }
  const ordered: string[] = [];
  let current = roots[0];
  const seen = new Set<string>();
  while (current && !seen.has(current.file)) {
    seen.add(current.file);
    ordered.push(current.file);
    const rev = current.revision;
    current = infos.find((i) => i.supersedes === rev && !seen.has(i.file));
  }
  for (const i of infos) if (!seen.has(i.file)) ordered.push(i.file);
  return ordered;
}

/** A path of the project (relative to the command's working directory) as a readable, absolute one. */
export function projectPath(project: Pick<Project, 'cwd'>, path: string): string {
  return resolve(project.cwd, path);
}

/** Loads `file` (relative to `cwd`, the command's working directory, or absolute). */
export function loadProject(file: string, cwd: string): StageResult<Project> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'project/unreadable',
          severity: 'error',
          message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          span: fileSpan(file),
        },
      ],
    };
  }
  const loaded = loadYamlWithSchema(text, file, projectSchema, 'project');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const input = loaded.value;
  const root = dirname(resolve(cwd, file));
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const rel = (p: string): string => relative(cwd, p) || '.';
  const boards: BoardRevisions[] = Object.entries(input.boards).map(([board, where]) => {
    const span = loaded.located.span(['boards', board], 'key');
    const revisions = typeof where === 'object' && !Array.isArray(where) ? where.revisions : where;
    const revisionsPath = revisions === where ? ['boards', board] : ['boards', board, 'revisions'];
    let files: string[];
    const names = new Map<string, string>();
    if (typeof revisions === 'string') {
      const dir = resolve(root, revisions);
      let entries: string[] = [];
      try {
        if (statSync(dir).isDirectory())
          entries = readdirSync(dir)
            .filter((f) => SPEC_EXTENSIONS.test(f))
            .map((f) => join(dir, f));
      } catch {
        diagnostics.push({
          code: 'project/missing-board-folder',
          severity: 'error',
          message: `board folder ${revisions} does not exist`,
          span: loaded.located.span(revisionsPath),
        });
      }
      files = orderRevisions(entries, span, diagnostics);
    } else {
      files = revisions.map((entry, i) => {
        const file = resolve(root, typeof entry === 'string' ? entry : entry.file);
        if (!existsSync(file))
          diagnostics.push({
            code: 'project/missing-revision-file',
            severity: 'error',
            message: `revision file ${typeof entry === 'string' ? entry : entry.file} does not exist (resolved to ${file})`,
            span: loaded.located.span([...revisionsPath, i]),
          });
        if (typeof entry !== 'string') names.set(rel(file), entry.revision);
        return file;
      });
    }
    const overlay = typeof where === 'object' && !Array.isArray(where) && where.overlay !== undefined ? rel(resolve(root, where.overlay)) : undefined;
    return { board, span, files: files.map(rel), ...(names.size > 0 ? { revisionNames: names } : {}), ...(overlay !== undefined ? { overlay } : {}) };
  });
  const list = (patterns: readonly string[], key: string): string[] => {
    const out: string[] = [];
    patterns.forEach((p, i) => {
      const found = expand(root, p);
      if (found.length === 0)
        diagnostics.push({
          code: 'project/no-match',
          severity: 'warning',
          message: `${key} entry ${JSON.stringify(p)} matches no file`,
          span: loaded.located.span([key, i]),
        });
      out.push(...found.map(rel));
    });
    return out;
  };
  const contracts = list(input.contracts, 'contracts');
  const keySpan = (key: string): SourceSpan => loaded.located.span([key], 'key');
  if (boards.every((b) => b.files.length === 0)) {
    diagnostics.push({
      code: 'project/no-revisions',
      severity: 'error',
      message: 'the project has no board revision to work on',
      span: keySpan('boards'),
      hint: 'add a board under boards: (name: folder) and put its register map in that folder, e.g. hardware-specs/my-board/rev-a.yaml (native YAML, SVD, IP-XACT, hjson, chiptool YAML or SystemRDL); `specdrive init` scaffolds one',
    });
  }
  if (contracts.length === 0) {
    diagnostics.push({
      code: 'project/no-contracts',
      severity: 'warning',
      message: 'the project has no driver contract, so nothing is bound, solved or tested against the simulator',
      span: keySpan('contracts'),
      hint: 'add a contract such as software-specs/uart.driver.yaml (spec: specdrive/driver@1) matched by contracts: in specdrive.yaml, a configuration in software-specs/configs/ and a profile in software-specs/profiles/; `specdrive init` writes an example of each',
    });
  }
  const value: Project = {
    cwd,
    file,
    root,
    name: input.name,
    boards,
    contracts,
    configs: list(input.configs, 'configs'),
    profiles: list(input.profiles, 'profiles'),
    targets: input.targets,
    output: rel(resolve(root, input.output)),
    ...(input.policy !== undefined ? { policy: rel(resolve(root, input.policy)) } : {}),
    failOn: input.fail_on,
    limits: Object.fromEntries(
      Object.entries({
        maxBytes: input.limits?.max_bytes,
        maxNodes: input.limits?.max_nodes,
        maxDim: input.limits?.max_dim,
        maxDepth: input.limits?.max_depth,
      }).filter(([, v]) => v !== undefined),
    ),
  };
  return { value, diagnostics };
}
