import type { BalanceRecord } from './balance-record';
import { suspectKeys } from './balance-window.decider';

/** Publish a suspect once it was found in `required` of the last `windows` windows (this one included). */
export interface PersistenceRule {
  readonly required: number;
  readonly windows: number;
}

/** Every suspect is published in the window it is found in. */
export const PUBLISH_AT_ONCE: PersistenceRule = { required: 1, windows: 1 };

/** Parses `k/n` (`2/3`: found in 2 of the last 3 windows); undefined when it is not one. */
export function parsePersistenceRule(text: string): PersistenceRule | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const rule = { required: Number(match[1]), windows: Number(match[2]) };
  return rule.required >= 1 && rule.required <= rule.windows && rule.windows <= 24 ? rule : undefined;
}

/**
 * Keys of this window's suspects that persisted: found in it and in enough of the windows before
 * it (`previous`, newest first, `undefined` where a window has no stored result: it counts as not
 * found). A suspect is identified by its tag (and component) or its unit.
 */
export function persistentSuspects(record: BalanceRecord, previous: readonly (BalanceRecord | undefined)[], rule: PersistenceRule): string[] {
  const earlier = previous.slice(0, rule.windows - 1).map((r) => new Set(r ? suspectKeys(r) : []));
  return suspectKeys(record).filter((key) => 1 + earlier.filter((keys) => keys.has(key)).length >= rule.required);
}
