import type { BalanceRecord } from '../domain/balance-record';

export type ReconcileOutcome = 'stored' | 'replayed' | 'dry-run' | 'no-measurements' | 'failed';

/** What the reconciler reports about each window it handles (Prometheus in production). */
export interface ReconciliationMetrics {
  observe(event: { plantId: string; trigger: string; outcome: ReconcileOutcome; seconds: number; record?: BalanceRecord }): void;
}

export const noMetrics: ReconciliationMetrics = { observe: () => undefined };
