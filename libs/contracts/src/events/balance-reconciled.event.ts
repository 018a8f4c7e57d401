import { z } from 'zod';
import { count, finite, identifier, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const balanceSummarySchema = z.object({
  /** Global (chi-square) test statistic of the reconciliation, dimensionless. */
  globalTestStatistic: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  degreesOfFreedom: count,
  /** Critical value of the global test at the configured significance level. */
  criticalValue: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  /** True when the global test rejects the hypothesis "no gross error". */
  rejected: z.boolean(),
  counts: z.object({
    measuredStreams: count,
    unmeasuredStreams: count,
    balanceEquations: count,
    suspectedGrossErrors: count,
  }),
});

export const balanceReconciledSchema = z.object({
  plantId: identifier,
  /** Version of the plant model the balance was computed against. */
  plantModelVersion: z.number().int().min(1, 'must be ≥ 1'),
  window: timeWindow,
  summary: balanceSummarySchema,
});

export type BalanceReconciled = z.infer<typeof balanceReconciledSchema>;

export const BalanceReconciledContract = defineEvent({
  type: 'BalanceReconciled',
  topic: TOPICS.balancing,
  description: 'A mass balance window was reconciled; the summary carries the global test result.',
  schema: balanceReconciledSchema,
});
