import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Handlebars from 'handlebars';

/**
 * Handlebars with the guard rails the project wants: only the built-in block helpers (each/if/unless/
 * with), no HTML escaping (each view-model escapes for its own language, which HTML escaping would
 * corrupt), and strict mode so a misspelt view-model key fails loudly instead of printing nothing.
 */
// Loaded on the first template: a warm `ci` (every revision from the cache) renders none, and loading
// handlebars is a third of its start-up.
let handlebars: typeof Handlebars | undefined;
const loadHandlebars = (): typeof Handlebars => (handlebars ??= (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create());

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Loads and compiles `dir/name.hbs` once; later calls reuse the compiled template. */
export function template(dir: string, name: string): Handlebars.TemplateDelegate {
  const file = join(dir, `${name}.hbs`);
  let compiled = cache.get(file);
  if (!compiled) {
    compiled = loadHandlebars().compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true, knownHelpersOnly: true, preventIndent: true });
    cache.set(file, compiled);
  }
  return compiled;
}

/** Renders a template of a generator folder (`templates/<name>.hbs`). */
export function render(dir: string, name: string, view: object): string {
  return template(join(dir, 'templates'), name)(view);
}
