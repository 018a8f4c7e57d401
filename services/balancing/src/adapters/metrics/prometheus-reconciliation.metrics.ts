import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ReconciliationMetrics } from '../../application/reconciliation-metrics.port';

/**
 * Prometheus metrics of the balancing service:
 * - `balancing_reconciliations_total{plant_id,trigger,outcome}`: windows handled (stored, replayed,
 *   dry-run, no-measurements, failed);
 * - `balancing_reconcile_duration_seconds{plant_id}`: history read + reconciliation + append;
 * - `balancing_global_test_ratio{plant_id}`: global test statistic / critical value of the last
 *   stored window (> 1: the balance rejects);
 * - `balancing_suspects_total{plant_id,kind}`: gross errors and losses suspected.
 */
export class PrometheusReconciliationMetrics implements ReconciliationMetrics {
  private readonly reconciliations: Counter<'plant_id' | 'trigger' | 'outcome'>;
  private readonly duration: Histogram<'plant_id'>;
  private readonly globalRatio: Gauge<'plant_id'>;
  private readonly suspects: Counter<'plant_id' | 'kind'>;

  constructor(registry: Registry) {
    this.reconciliations = new Counter({ name: 'balancing_reconciliations_total', help: 'Balance windows handled, by outcome', labelNames: ['plant_id', 'trigger', 'outcome'], registers: [registry] });
    this.duration = new Histogram({
      name: 'balancing_reconcile_duration_seconds',
      help: 'Time to read the history, reconcile and store one window',
      labelNames: ['plant_id'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.globalRatio = new Gauge({ name: 'balancing_global_test_ratio', help: 'Global test statistic over its critical value, last stored window', labelNames: ['plant_id'], registers: [registry] });
    this.suspects = new Counter({ name: 'balancing_suspects_total', help: 'Gross errors and losses suspected', labelNames: ['plant_id', 'kind'], registers: [registry] });
  }

  observe(event: Parameters<ReconciliationMetrics['observe']>[0]): void {
    this.reconciliations.inc({ plant_id: event.plantId, trigger: event.trigger, outcome: event.outcome });
    if (event.outcome !== 'stored') return;
    this.duration.observe({ plant_id: event.plantId }, event.seconds);
    const test = event.record?.globalTest;
    if (test && test.critical > 0) this.globalRatio.set({ plant_id: event.plantId }, test.statistic / test.critical);
    if (event.record) {
      this.suspects.inc({ plant_id: event.plantId, kind: 'gross-error' }, event.record.grossErrors.length);
      this.suspects.inc({ plant_id: event.plantId, kind: 'loss' }, event.record.losses.length);
    }
  }
}
