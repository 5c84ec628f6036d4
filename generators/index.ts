/**
 * The generator targets and the runner. Import generators through here (`generators/index.ts`).
 */
import { cGenerator } from './c/index.ts';
import { tsGenerator } from './typescript/index.ts';
import { pythonGenerator } from './python/index.ts';
import { docsGenerator } from './docs/index.ts';
import { svdGenerator } from './svd/index.ts';
import type { AnyGenerator } from './framework/types.ts';

export type {
  GeneratorModel,
  GeneratedFile,
  PiecewiseFile,
  OutputFile,
  GeneratorDefinition,
  EmitFile,
  GenOperation,
  GenParam,
  GenStep,
  GenValue,
  GenConfig,
} from './framework/types.ts';
export { buildGeneratorModel, genericOperations, type ModelInputs } from './framework/model.ts';
export {
  renderTarget,
  renderPieces,
  renderInto,
  writeOutput,
  stageOutput,
  startStage,
  checkOutput,
  isUpToDate,
  inputsHash,
  MANIFEST,
  type WriteReport,
  type CheckReport,
  type StagedOutput,
  type OpenStage,
  type RenderOutcome,
  type ListedPieces,
} from './framework/runner.ts';
export { cGenerator } from './c/index.ts';
export { tsGenerator } from './typescript/index.ts';
export { pythonGenerator } from './python/index.ts';
export { docsGenerator } from './docs/index.ts';
export { svdGenerator } from './svd/index.ts';

/** Every target, by CLI name, in the order `--target all` runs them. */
export const generators: readonly AnyGenerator[] = [cGenerator, tsGenerator, pythonGenerator, docsGenerator, svdGenerator];

export function generatorFor(name: string): AnyGenerator | undefined {
  return generators.find((g) => g.name === name);
}
