export { locateYaml, loadYamlWithSchema, defaultYamlLimits, nodeSpan, type LocatedYaml, type SchemaLoadResult, type YamlLimits } from './located-yaml.ts';
export {
  entryOf,
  type LocatedArray,
  type LocatedEntry,
  type LocatedObject,
  type LocatedScalar,
  type LocatedValue,
  parseIntegerText,
  toPlain,
  ValueReader,
  valueOf,
} from './located-value.ts';
export { locatedYamlValue } from './located-value-from-yaml.ts';
