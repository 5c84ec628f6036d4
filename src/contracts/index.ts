export { LAYERS, isMoreFundamental, layerLabel, layerNumber, mostFundamental, type Layer } from './layer.ts';
export type { DriverContract, Role, Operation, OperationParam, Step, StepValue, Scenario, ScenarioStep } from './specification.ts';
export { rolesUsedBy, unknownStep } from './specification.ts';
export { loadDriverContract } from './specification-load.ts';
export { loadConfiguration, type Configuration, type Target, type Setting } from './configuration.ts';
export { loadProfile, type Profile } from './profile.ts';
export {
  driverContractSchema,
  configSchema,
  profileSchema,
  toleranceValue,
  DRIVER_SPEC_ID,
  CONFIG_SPEC_ID,
  PROFILE_SPEC_ID,
  type SideEffect,
} from './schema.ts';
export { softwareJsonSchemas } from './json-schema.ts';
