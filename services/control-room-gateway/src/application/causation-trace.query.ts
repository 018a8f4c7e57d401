import { buildCausationTrace, type CausationTrace } from '../domain/causation-trace';
import type { CausationLog } from './causation-log.port';

/** Bounds of one trace: links followed up and down, events returned below the traced one. */
export const TRACE_LIMITS = { maxDepth: 64, maxDescendants: 2000 } as const;

/** The causation tree through `eventId`, or undefined when the log has no such integration event. */
export async function traceCausation(log: CausationLog, eventId: string, limits = TRACE_LIMITS): Promise<CausationTrace | undefined> {
  const ancestry = await log.ancestry(eventId, limits.maxDepth);
  if (ancestry.length === 0) return undefined;
  const descendants = await log.descendants(eventId, limits.maxDepth, limits.maxDescendants + 1);
  const truncated = descendants.length > limits.maxDescendants;
  return buildCausationTrace(ancestry, truncated ? descendants.slice(0, limits.maxDescendants) : descendants, truncated);
}
