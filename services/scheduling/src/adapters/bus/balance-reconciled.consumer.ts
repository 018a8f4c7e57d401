import { EVENT_TYPES, type BalanceReconciled } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';
import type { Cause } from '../../application/schedule-book';

export const BALANCE_RECONCILED_CONSUMER_GROUP = 'scheduling.balance-reconciled';

/** `BalanceReconciled` from the balancing service: the plant may have new reconciled yields. */
export function subscribeBalanceReconciled(bus: EventBus, onReconciled: (plantId: string, cause: Cause) => Promise<void>): Promise<BusSubscription> {
  return bus.subscribe({
    group: BALANCE_RECONCILED_CONSUMER_GROUP,
    types: [EVENT_TYPES.BalanceReconciled],
    retry: { maxDelayMs: 2000 },
    handler: async (event) => {
      const d = event.data as BalanceReconciled;
      await onReconciled(d.plantId, { causationId: event.eventId, correlationId: event.correlationId });
    },
  });
}
