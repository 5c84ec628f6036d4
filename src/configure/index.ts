export {
  solveConfiguration,
  describeAlternatives,
  type SolvedConfiguration,
  type SolvedQuantity,
  type Unsatisfiable,
  type Undecided,
  type Alternatives,
  type ConfigureOptions,
} from './solve-config.ts';
export {
  solveTarget,
  nearestAchievable,
  clockThatWorks,
  type Requirement,
  type TargetProblem,
  type TargetSolution,
} from './solve-target.ts';
export { toRational, type Rational, type Linear, type Factor } from './rational.ts';
export { configurationsToText, configurationsToMarkdown } from './report.ts';
