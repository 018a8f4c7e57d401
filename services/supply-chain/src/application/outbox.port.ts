import type { IntegrationEvent } from '@reflux/contracts';
import type { PoolClient } from 'pg';

/** Integration events written in the same transaction as the state change (TransactionalOutbox). */
export interface Outbox {
  enqueue(events: IntegrationEvent | readonly IntegrationEvent[], transaction: PoolClient): Promise<void>;
}
