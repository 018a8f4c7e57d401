import type { TraceEvent } from '../domain/causation-trace';

/** Where the gateway finds integration events by their causation (the PostgreSQL event log). */
export interface CausationLog {
  /** The event and its causes, nearest first (the event itself first); empty when it is not an integration event of the log. */
  ancestry(eventId: string, maxDepth: number): Promise<TraceEvent[]>;
  /** Events caused by `eventId`, directly or through at most `maxDepth` links, at most `limit` of them. */
  descendants(eventId: string, maxDepth: number, limit: number): Promise<TraceEvent[]>;
}
