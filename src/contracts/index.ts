export type { DriverContract, Role, Operation, OperationParam, Step, Scenario, ScenarioStep, Configuration, Target, Setting, Profile } from './model.ts';
export { rolesUsedBy } from './model.ts';
export { loadDriverContract, loadConfiguration, loadProfile } from './load.ts';
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
