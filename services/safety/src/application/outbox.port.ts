import type { IntegrationEvent } from '@reflux/contracts';
import type { PoolClient } from 'pg';

/**
 * Why events exist (the CAUSATION CONTRACT of @reflux/messaging): the causing event's id and its
 * correlation id, applied to events that do not name a cause themselves.
 */
export interface EventCausation {
  readonly causationId?: string;
  readonly correlationId?: string;
}

/** Integration events written in the same transaction as the state change (TransactionalOutbox). */
export interface Outbox {
  enqueue(events: IntegrationEvent | readonly IntegrationEvent[], transaction: PoolClient, options?: { readonly causation?: EventCausation }): Promise<void>;
}
