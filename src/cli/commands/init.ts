import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { loadProject } from '../../project/index.ts';
import { suggest } from '../../diagnostics/suggest.ts';
import { nextSteps, PACKAGE_NAME, packageVersion, scaffoldFiles } from '../scaffold.ts';

const NAME = /^[A-Za-z0-9_.-]+$/;

export const initCommand: Command = {
  name: 'init',
  summary: 'scaffold a working project: package.json, CI workflow, a board revision, an example contract, configuration and profile',
  usage: `init [DIR] [--name NAME] [--board BOARD]

  Writes into DIR (default: the current folder) a project that \`npm install && npx specdrive ci\`
  runs green as it is: specdrive.yaml, hardware-specs/BOARD/rev-a.yaml, an example UART contract
  with a scenario, a configuration and a profile bound to rev-a, package.json (specdrive-cli as a
  devDependency; an existing package.json is kept), .gitignore and .github/workflows/specdrive*.yml.
  Nothing is written when one of those files exists already.

example:
  npx specdrive-cli init my-firmware --board my-board`,
  examples: ['specdrive init', 'npx specdrive-cli init my-firmware --board my-board'],
  exitCodes: ['0  the project was scaffolded', '2  a scaffold file exists already, or a bad --name/--board'],
  options: { name: { type: 'string' }, board: { type: 'string', default: 'my-board' } },
  async run(args, context) {
    if (args.positionals.length > 1) throw new UsageError(`init takes at most one folder (got ${args.positionals.join(' ')})`);
    const dir = args.positionals[0] ?? '.';
    const board = String(args.values.board);
    const name = String(args.values.name ?? basename(resolve(context.cwd, dir)).replace(/[^A-Za-z0-9_.-]+/g, '-'));
    if (!NAME.test(board)) throw new UsageError(`--board may hold letters, digits, _ . and - only (got ${board})`);
    if (!NAME.test(name)) throw new UsageError(`--name may hold letters, digits, _ . and - only (got ${name})`);
    const root = resolve(context.cwd, dir);
    const options = { name, board, version: packageVersion() };
    const files = scaffoldFiles(options);
    // Every file is checked before any is written: init either scaffolds all of it or nothing.
    const clashes = files.filter((f) => !f.keepExisting && existsSync(join(root, f.path))).map((f) => join(dir, f.path));
    if (clashes.length)
      throw new UsageError(
        `${clashes[0]} already exists${clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : ''}; init writes nothing over an existing project`,
      );
    const kept: string[] = [];
    for (const file of files) {
      const target = join(root, file.path);
      if (file.keepExisting && existsSync(target)) {
        kept.push(file.path);
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.contents);
      context.stdout(`created ${join(dir, file.path)}\n`);
    }
    const keptPackageJson = kept.includes('package.json');
    let hasDependency = true;
    if (keptPackageJson) {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
      hasDependency = PACKAGE_NAME in (manifest.devDependencies ?? {}) || PACKAGE_NAME in (manifest.dependencies ?? {});
    }
    for (const path of kept) context.stdout(`kept ${join(dir, path)} (exists already)\n`);
    context.stdout(nextSteps(options, dir, keptPackageJson, hasDependency));
    return 0;
  },
};

/** Next revision name: rev-a → rev-b, rev-z → rev-aa, v3 → v4, anything else gets -next. */
export function nextRevisionName(current: string): string {
  const letters = /^(.*?)([a-z]+)$/.exec(current);
  if (letters && /^rev-/.test(current)) {
    const chars = [...(letters[2] as string)];
    let i = chars.length - 1;
    while (i >= 0 && chars[i] === 'z') chars[i--] = 'a';
    if (i < 0) chars.unshift('a');
    else chars[i] = String.fromCharCode((chars[i] as string).charCodeAt(0) + 1);
    return `${letters[1]}${chars.join('')}`;
  }
  const digits = /^(.*?)(\d+)$/.exec(current);
  if (digits) return `${digits[1]}${Number(digits[2]) + 1}`;
  return `${current}-next`;
}

export const newRevisionCommand: Command = {
  name: 'new-revision',
  summary: 'start a new revision of a board from its latest one',
  usage: `new-revision BOARD [--project specdrive.yaml] [--name REV] [--file VENDOR_FILE]

  With --file (and --name): add a vendor release (SVD, svdtools patch, …) to the board's list of
  revisions, after loading it with the board's overlay applied and printing the overlay's findings.`,
  examples: [
    'specdrive new-revision my-board',
    'specdrive new-revision my-board --name rev-b2',
    'specdrive new-revision rp2040 --file RP2040-2.2.0.svd --name 2.2.0',
  ],
  exitCodes: [
    '0  the revision file was written (or the vendor release was added)',
    '2  unknown board, no native YAML revision, the file exists, or the vendor file is unusable',
  ],
  options: { project: { type: 'string', default: 'specdrive.yaml' }, name: { type: 'string' }, file: { type: 'string' } },
  async run(args, context) {
    const board = args.positionals[0];
    if (!board) throw new UsageError('new-revision needs a BOARD');
    const loaded = loadProject(String(args.values.project), context.cwd);
    const entry = loaded.value?.boards.find((b) => b.board === board);
    if (!entry) {
      const near = suggest(board, loaded.value?.boards.map((b) => b.board) ?? []);
      throw new UsageError(`${board} is not a board of ${String(args.values.project)}${near ? `; did you mean ${near}?` : ''}`);
    }
    if (typeof args.values.file === 'string') {
      if (typeof args.values.name !== 'string') throw new UsageError('new-revision --file needs --name REV');
      return (await import('./new-vendor-revision.ts')).addVendorRevision(loaded.value!, entry, args.values.file, args.values.name, context);
    }
    const latest = entry.files[entry.files.length - 1];
    if (!latest || !/\.ya?ml$/.test(latest)) throw new UsageError(`the latest revision of ${board} is not a native YAML spec; import it first`);
    const text = readFileSync(resolve(context.cwd, latest), 'utf8');
    const current = /^revision:\s*([^\s#]+)/m.exec(text)?.[1];
    if (!current) throw new UsageError(`${latest} has no revision: line`);
    const next = String(args.values.name ?? nextRevisionName(current));
    if (!NAME.test(next)) throw new UsageError('revision names may hold letters, digits, _ . and - only');
    const file = join(latest, '..', `${next}.yaml`);
    if (existsSync(resolve(context.cwd, file))) throw new UsageError(`${file} already exists`);
    let body = text.replace(/^revision:\s*[^\s#]+/m, `revision: ${next}`);
    body = /^supersedes:/m.test(body)
      ? body.replace(/^supersedes:\s*[^\s#]+/m, `supersedes: ${current}`)
      : body.replace(/^(revision: .*)$/m, `$1\nsupersedes: ${current}`);
    writeFileSync(resolve(context.cwd, file), body);
    context.stdout(`created ${file} (supersedes ${current})\n`);
    return 0;
  },
};
