/**
 * What specdrive's YAML readers take from the `yaml` library. The build makes this file its own
 * entry chunk (scripts/build.ts), which `yamlParts()` (yaml-library.ts) loads on first use: a
 * `validate` whose files the subset reader (yaml-subset.ts) reads never loads the library.
 */
export { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
