import type { IntegrationEvent } from '@reflux/contracts';
import type { EventCausation } from './outbox.port';

/**
 * Where early-warning monitors keep what must survive a restart (per plant, monitor and key: a unit's
 * grid and scorer, a tag's warning in force), written in one transaction with the integration events
 * (outbox) their decisions publish, so a warning is published exactly when its state is stored.
 */
export interface EarlyWarningStateStore {
  load(plantId: string, monitor: string): Promise<Map<string, unknown>>;
  commit(plantId: string, monitor: string, states: readonly (readonly [string, unknown])[], events: readonly IntegrationEvent[], causation?: EventCausation): Promise<void>;
}
