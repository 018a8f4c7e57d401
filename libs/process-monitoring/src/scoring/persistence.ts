import type { PersistenceRule } from '../model/monitoring-model.schema';

/** How many past decisions a rule looks at. */
export function persistenceWindow(rule: PersistenceRule): number {
  return rule.kind === 'consecutive' ? rule.count : rule.n;
}

/**
 * The warning decision on the most recent violations (oldest first, at most the rule's window):
 * `count` consecutive violations ending now, or at least `k` among the last `n`.
 */
export function persistenceMet(rule: PersistenceRule, recent: readonly boolean[]): boolean {
  const window = recent.slice(-persistenceWindow(rule));
  if (rule.kind === 'consecutive') return window.length === rule.count && window.every(Boolean);
  return window.filter(Boolean).length >= rule.k;
}
