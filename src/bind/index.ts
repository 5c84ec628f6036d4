export { bindContract, peripheralsFor, type BindOptions } from './bind.ts';
export { sideEffectsOf, isReadable, isWritable } from './side-effects.ts';
export type { Binding, RoleBinding, OperationVerdict, Conflict, Verdict } from './types.ts';
export { verdictRank, failingRank } from './types.ts';
export { bindingDiagnostics, bindingsToText, bindingsToMarkdown, bindingsToJson } from './report.ts';
