/**
 * `npm run templates`: writes each generator's `templates/compiled.cjs`, the precompiled code of its
 * Handlebars templates (generators/framework/templates.ts). Run after editing a `.hbs` file;
 * test/unit/generators/compiled-templates.test.ts fails while one is out of date.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILED, precompiledModule } from '../generators/framework/templates.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every generator folder's templates folder. */
export function templateFolders(): string[] {
  const generators = join(root, 'generators');
  return readdirSync(generators)
    .map((name) => join(generators, name, 'templates'))
    .filter((dir) => existsSync(dir))
    .sort();
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  for (const dir of templateFolders()) writeFileSync(join(dir, COMPILED), precompiledModule(dir));
  process.stdout.write(`compiled the templates of ${templateFolders().length} generators\n`);
}
