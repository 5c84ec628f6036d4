import { createRequire } from 'node:module';

/** The parts of `yaml` the located readers use (yaml-parts.ts). */
export type YamlParts = typeof import('./yaml-parts.ts');

let parts: YamlParts | undefined;

/**
 * The `yaml` library, loaded on first call, synchronously (the readers are synchronous): most spec
 * files are read by the subset reader alone, and loading the library (≈150 KB of code) was ≈1.5 ms
 * of a `validate` start. From the sources this is Node's `require` of the package (the CommonJS
 * build that an `import` of `yaml` also gives Node); the build replaces this file with a `require`
 * of the `yaml-parts` chunk (scripts/build.ts).
 */
export function yamlParts(): YamlParts {
  parts ??= createRequire(import.meta.url)('yaml') as YamlParts;
  return parts;
}
