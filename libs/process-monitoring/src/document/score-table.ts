import type { MonitoringModel } from '../model/monitoring-model.schema';
import { StreamingScorer } from '../scoring/streaming-scorer';

/** One row of `reflux safety pca-score --json`: the monitored T² and SPE (null while DPCA warms up) and the model's warning decision. */
export interface ScoredRow {
  readonly t2: number | null;
  readonly spe: number | null;
  readonly flagged: boolean;
}

export interface ScoreReport {
  readonly limits: { readonly t2: number; readonly spe: number; readonly confidence: number };
  readonly rows: ScoredRow[];
  readonly summary: {
    readonly rows: number;
    readonly scoredRows: number;
    /** Rows beyond a limit, before the persistence rule. */
    readonly violations: number;
    readonly flagged: number;
    readonly flaggedPercent: number;
    /** Warnings started (rows where `flagged` turns true). */
    readonly warningsRaised: number;
    /** 1-based data row of the first flagged row. */
    readonly firstFlaggedRow: number | null;
    readonly persistence: MonitoringModel['persistence'];
    /** How many flagged rows each variable led (largest share of the exceeded statistics), most first (at most 10). */
    readonly topContributors: { readonly variable: string; readonly flaggedRows: number }[];
  };
}

/** Scores rows in order with a fresh scorer, as the live service would see them one by one. */
export function scoreRows(model: MonitoringModel, rows: readonly (readonly number[])[]): ScoreReport {
  const scorer = new StreamingScorer(model);
  const out: ScoredRow[] = [];
  const counts = new Map<string, number>();
  let violations = 0;
  let raised = 0;
  let firstFlagged: number | null = null;
  rows.forEach((row, i) => {
    const s = scorer.score(row);
    if (s.status === 'warming-up') {
      out.push({ t2: null, spe: null, flagged: false });
      return;
    }
    out.push({ t2: s.t2, spe: s.spe, flagged: s.warning });
    if (s.violation) violations++;
    if (s.raised) raised++;
    if (s.warning) {
      firstFlagged ??= i + 1;
      const lead = s.topContributors[0];
      if (lead !== undefined) counts.set(lead, (counts.get(lead) ?? 0) + 1);
    }
  });
  const flagged = out.filter((r) => r.flagged).length;
  return {
    limits: { t2: model.limits.t2, spe: model.limits.spe, confidence: model.confidence },
    rows: out,
    summary: {
      rows: rows.length,
      scoredRows: out.filter((r) => r.t2 !== null).length,
      violations,
      flagged,
      flaggedPercent: rows.length === 0 ? 0 : (100 * flagged) / rows.length,
      warningsRaised: raised,
      firstFlaggedRow: firstFlagged,
      persistence: model.persistence,
      topContributors: [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([variable, n]) => ({ variable, flaggedRows: n })),
    },
  };
}
