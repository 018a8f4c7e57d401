import type { BalanceWindow } from '../domain/balance-window';
import type { TagAverage } from '../domain/tag-average';

export interface HistoryQuery {
  readonly plantId: string;
  /** Flow and power tags: time-weighted average. Level tags: average and change over the window. */
  readonly tagIds: readonly string[];
  readonly levelTagIds: readonly string[];
  readonly window: BalanceWindow;
  /**
   * Sub-windows to read: their coverage says how much of the window has data, and their spread
   * estimates the uncertainty of each average (standard error of their mean), used with
   * BALANCE_SIGMA_SOURCE=window.
   */
  readonly spreadBuckets: number;
  readonly signal?: AbortSignal;
}

/**
 * Where window averages come from: the ingestion service's ReadAggregates in production, a fake in
 * tests. Tags without data in the window are left out of the map.
 */
export interface HistorySource {
  readWindow(query: HistoryQuery): Promise<Map<string, TagAverage>>;
}
