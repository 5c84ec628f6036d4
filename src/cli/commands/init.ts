import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { loadProject } from '../../project/index.ts';

const PROJECT = (name: string, board: string): string => `# yaml-language-server: $schema=software-specs/schema/project.schema.json
spec: specdrive/project@1
name: ${name}
boards:
  ${board}: hardware-specs/${board}
contracts: [software-specs/*.driver.yaml]
configs: [software-specs/configs/*.yaml]
profiles: [software-specs/profiles/*.yaml]
targets: [c, typescript, python, docs]
output: out
fail_on: broken
`;

const FIRST_REVISION = (board: string): string => `# yaml-language-server: $schema=../schema/hardware.schema.json
spec: specdrive/hardware@1
board: ${board}
revision: rev-a
clocks: { HCLK: 16_000_000 }
peripherals:
  UART0:
    kind: uart
    base: 0x4000_0000
    size: 0x100
    registers:
      CTRL:
        offset: 0x00
        fields:
          EN: { bits: 0, access: rw, description: Enables the port. }
      STATUS:
        offset: 0x04
        fields:
          TXE: { bits: 0, access: r, reset: 1, description: Transmit buffer empty. }
`;

const NAME = /^[A-Za-z0-9_.-]+$/;

export const initCommand: Command = {
  name: 'init',
  summary: 'scaffold a new project (specdrive.yaml, a first board revision, spec folders)',
  usage: `init [DIR] [--name NAME] [--board BOARD]`,
  options: { name: { type: 'string' }, board: { type: 'string', default: 'my-board' } },
  async run(args, context) {
    const dir = args.positionals[0] ?? '.';
    const board = String(args.values.board);
    const name = String(args.values.name ?? 'my-project');
    if (!NAME.test(board) || !NAME.test(name)) throw new UsageError('--board and --name may hold letters, digits, _ . and - only');
    if (existsSync(join(dir, 'specdrive.yaml'))) throw new UsageError(`${join(dir, 'specdrive.yaml')} already exists`);
    for (const sub of [`hardware-specs/${board}`, 'software-specs/configs', 'software-specs/profiles']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'specdrive.yaml'), PROJECT(name, board));
    writeFileSync(join(dir, 'hardware-specs', board, 'rev-a.yaml'), FIRST_REVISION(board));
    context.stdout(`created ${join(dir, 'specdrive.yaml')} and ${join(dir, 'hardware-specs', board, 'rev-a.yaml')}\n`);
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
  options: { project: { type: 'string', default: 'specdrive.yaml' }, name: { type: 'string' }, file: { type: 'string' } },
  async run(args, context) {
    const board = args.positionals[0];
    if (!board) throw new UsageError('new-revision needs a BOARD');
    const loaded = loadProject(String(args.values.project));
    const entry = loaded.value?.boards.find((b) => b.board === board);
    if (!entry) throw new UsageError(`${board} is not a board of ${String(args.values.project)}`);
    if (typeof args.values.file === 'string') {
      if (typeof args.values.name !== 'string') throw new UsageError('new-revision --file needs --name REV');
      return (await import('./new-vendor-revision.ts')).addVendorRevision(loaded.value!, entry, args.values.file, args.values.name, context);
    }
    const latest = entry.files[entry.files.length - 1];
    if (!latest || !/\.ya?ml$/.test(latest)) throw new UsageError(`the latest revision of ${board} is not a native YAML spec; import it first`);
    const text = readFileSync(latest, 'utf8');
    const current = /^revision:\s*([^\s#]+)/m.exec(text)?.[1];
    if (!current) throw new UsageError(`${latest} has no revision: line`);
    const next = String(args.values.name ?? nextRevisionName(current));
    if (!NAME.test(next)) throw new UsageError('revision names may hold letters, digits, _ . and - only');
    const file = join(latest, '..', `${next}.yaml`);
    if (existsSync(file)) throw new UsageError(`${file} already exists`);
    let body = text.replace(/^revision:\s*[^\s#]+/m, `revision: ${next}`);
    body = /^supersedes:/m.test(body) ? body.replace(/^supersedes:\s*[^\s#]+/m, `supersedes: ${current}`) : body.replace(/^(revision: .*)$/m, `$1\nsupersedes: ${current}`);
    writeFileSync(file, body);
    context.stdout(`created ${file} (supersedes ${current})\n`);
    return 0;
  },
};
