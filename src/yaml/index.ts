export { locateYaml, loadYamlWithSchema, defaultYamlLimits, type LocatedYaml, type SchemaLoadResult, type YamlLimits } from './located-yaml.ts';
