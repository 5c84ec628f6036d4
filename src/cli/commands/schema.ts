import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../command.ts';
import { hardwareJsonSchema } from '../../importers/index.ts';
import { overlayJsonSchema } from '../../overlay/index.ts';

/** A JSON Schema published for editors (yaml-language-server), generated from its zod source of truth. */
export interface PublishedSchema {
  /** File name under the schema folder. */
  readonly file: string;
  readonly generate: () => Record<string, unknown>;
}

/** Every schema published under `hardware-specs/schema/`; add others (driver contracts…) here. */
export const publishedSchemas: readonly PublishedSchema[] = [
  { file: 'hardware.schema.json', generate: hardwareJsonSchema },
  { file: 'overlay.schema.json', generate: overlayJsonSchema },
];

/** Where the schemas live, relative to the project root. */
export const SCHEMA_DIR = 'hardware-specs/schema';

/**
 * The committed text of a schema: two-space indented JSON with a final newline. Key order is the
 * order zod emits (the order the format declares its keys), which is fixed for a given schema, so
 * the output is byte-identical run after run and a diff shows only real format changes.
 */
export function renderJsonSchema(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

/** The file text of every published schema, keyed by file name. */
export function generateSchemaFiles(): Map<string, string> {
  return new Map(publishedSchemas.map((s) => [s.file, renderJsonSchema(s.generate())]));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Write-then-rename, so an interrupted run never leaves a half-written schema for editors to choke on. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print, write or check the published JSON Schemas (hardware-specs/schema/)',
  usage: `schema [--write | --check] [--dir DIR]

  Without options, prints the hardware spec JSON Schema to stdout.
  --write   regenerate every schema file under DIR (default ${SCHEMA_DIR})
  --check   exit 1 when a committed schema differs from the generated one (for CI)`,
  examples: ['specdrive schema > hardware.schema.json', 'specdrive schema --check'],
  exitCodes: ['0  printed, written, or up to date', '1  --check found a schema missing or out of date', '2  a usage error'],
  options: {
    write: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    dir: { type: 'string', default: SCHEMA_DIR },
  },
  async run(args, context) {
    if (args.positionals.length > 0) throw new UsageError(`schema takes no arguments (got ${args.positionals.join(' ')})`);
    const write = args.values.write === true;
    const check = args.values.check === true;
    if (write && check) throw new UsageError('choose one of --write and --check');
    const dir = resolve(context.cwd, String(args.values.dir));
    const files = generateSchemaFiles();
    if (!write && !check) {
      context.stdout(files.get('hardware.schema.json') ?? '');
      return EXIT_OK;
    }
    let stale = 0;
    for (const [file, text] of files) {
      const path = join(dir, file);
      const shown = relative(context.cwd, path) || path;
      const current = readIfExists(path);
      if (current === text) {
        if (write) context.stderr(`unchanged ${shown}\n`);
        continue;
      }
      if (write) {
        writeAtomically(path, text);
        context.stderr(`wrote ${shown}\n`);
      } else {
        stale++;
        context.stderr(`${shown}: ${current === undefined ? 'missing' : 'out of date'}; run \`specdrive schema --write\`\n`);
      }
    }
    if (check && stale === 0) context.stderr(`ok: ${files.size} schema(s) up to date\n`);
    return stale > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
