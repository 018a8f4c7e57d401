import { z } from 'zod';
import { identifier, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { balanceSummarySchema } from './balance-reconciled.event';

export const balanceRevisedSchema = z.object({
  plantId: identifier,
  plantModelVersion: z.number().int().min(1, 'must be ≥ 1'),
  window: timeWindow,
  /** 1 for the first revision after `BalanceReconciled`, then 2, 3 … (per plant-model version). */
  revision: z.number().int().min(1, 'must be ≥ 1'),
  /** The summary of the revised balance; it replaces the window's earlier one. */
  summary: balanceSummarySchema,
});

export type BalanceRevised = z.infer<typeof balanceRevisedSchema>;

export const BalanceRevisedContract = defineEvent({
  type: 'BalanceRevised',
  topic: TOPICS.balancing,
  description:
    'A reconciled window was reconciled again because late measurements changed it; the summary replaces the earlier one. New suspects follow as GrossErrorSuspected/LossSuspected, suspects that no longer hold as GrossErrorCleared.',
  schema: balanceRevisedSchema,
});
