/**
 * The findings of a window's tests, shared by the mass, steam and component balances (kept apart
 * from balance-record.ts, which assembles those balances' records, so that none imports it back).
 */

/** A statistical test's figures. */
export interface TestSummary {
  readonly statistic: number;
  readonly dof: number;
  readonly critical: number;
  readonly pValue: number;
  readonly rejected: boolean;
}

/** A test's figures as stored: a non-finite statistic or critical value reads 0, a non-finite p-value 1 (JSON has no NaN). */
export function testSummary(t: TestSummary): TestSummary {
  const finite = (v: number, fallback: number): number => (Number.isFinite(v) ? v : fallback);
  return { statistic: finite(t.statistic, 0), dof: t.dof, critical: finite(t.critical, 0), pValue: finite(t.pValue, 1), rejected: t.rejected };
}

export interface GrossErrorRecord {
  readonly tagId: string;
  readonly streamId: string;
  /** Set for a composition analyser: the component it measures (absent for flow meters and levels). */
  readonly component?: string;
  /** Analysers: bias and its sigma as mass fraction, kg/kg. */
  readonly biasMassFraction?: number;
  readonly sigmaMassFraction?: number;
  /** Meters: bias of the flow; analysers: the bias as component mass flow (reconciled flow × fraction bias). */
  readonly biasKgPerS: number;
  readonly sigmaKgPerS: number;
  readonly biasTagUnit: number;
  readonly tagUnit: string;
  readonly relativePercent: number | null;
  readonly testStatistic: number;
  readonly criticalValue: number;
  readonly equivalentIds: readonly string[];
}

export interface LossRecord {
  readonly unitId: string;
  readonly lossKgPerS: number;
  readonly sigmaKgPerS: number;
  readonly testStatistic: number;
  readonly criticalValue: number;
  readonly equivalentIds: readonly string[];
}
