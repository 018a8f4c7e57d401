// The scheduling service's offline entry points, shared with the CLI (same code as the service).
export { solveOptionsFor, solveProblem, type SolveProblemOptions } from './application/solve-problem';
export { parseProblem } from './domain/parse-problem';
export { problemSchema, type ProblemDocument, type ProblemInput } from './domain/problem.schema';
export { formulate, type Formulation } from './domain/formulation/formulate';
export type { ScheduleResult, Schedule, CostBreakdown, ShadowPrice } from './domain/schedule';
export { SchedulingError, SchedulingErrorCode } from './domain/scheduling.errors';
export { generateInstance, type InstanceSpec } from './testing/generate-instance';
