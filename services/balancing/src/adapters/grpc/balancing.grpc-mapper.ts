import { refluxBalancingV1 as v1 } from '@reflux/proto';
import type { StreamClassification } from '@reflux/reconciliation';
import type { ComponentBalanceRecord } from '../../domain/component-balance';
import type { BalanceRecord, GrossErrorRecord, LossRecord, TestSummary, YieldRecord } from '../../domain/balance-record';
import type { SuspectRow } from '../postgres/balance-read-model.queries';
import type { ClassificationView } from '../../application/classification.query';
import { dateToTimestamp } from './balancing.grpc-requests';

const CLASSIFICATION: Record<StreamClassification, v1.Classification> = {
  redundant: v1.Classification.CLASSIFICATION_REDUNDANT,
  nonredundant: v1.Classification.CLASSIFICATION_NONREDUNDANT,
  observable: v1.Classification.CLASSIFICATION_OBSERVABLE,
  unobservable: v1.Classification.CLASSIFICATION_UNOBSERVABLE,
};

/** null → absent optional field (proto3 `optional`). */
const opt = (v: number | null | undefined): number | undefined => (v === null || v === undefined || !Number.isFinite(v) ? undefined : v);

const testOf = (t: TestSummary): v1.GlobalTest => ({ statistic: t.statistic, degreesOfFreedom: t.dof, criticalValue: t.critical, pValue: t.pValue, rejected: t.rejected });

export const grossErrorOf = (g: GrossErrorRecord): v1.GrossError => ({
  tagId: g.tagId,
  streamId: g.streamId,
  estimatedBiasKgPerS: g.biasKgPerS,
  standardDeviationKgPerS: g.sigmaKgPerS,
  estimatedBiasTagUnit: g.biasTagUnit,
  tagUnit: g.tagUnit,
  relativeBiasPercent: opt(g.relativePercent),
  testStatistic: g.testStatistic,
  criticalValue: g.criticalValue,
  equivalentIds: [...g.equivalentIds],
  component: g.component ?? '',
  estimatedBiasMassFraction: opt(g.biasMassFraction),
  standardDeviationMassFraction: opt(g.sigmaMassFraction),
});

export const lossOf = (l: LossRecord): v1.Loss => ({
  unitId: l.unitId,
  estimatedLossKgPerS: l.lossKgPerS,
  standardDeviationKgPerS: l.sigmaKgPerS,
  testStatistic: l.testStatistic,
  criticalValue: l.criticalValue,
  equivalentIds: [...l.equivalentIds],
});

export const yieldOf = (y: YieldRecord): v1.Yield => ({
  unitId: y.unitId,
  streamId: y.streamId,
  medium: y.medium,
  yieldRatio: y.ratio,
  massFlowKgPerS: y.massFlowKgPerS,
  standardDeviationRatio: opt(y.sigmaRatio),
  basis: y.basis === 'inlet' ? v1.YieldBasis.YIELD_BASIS_INLET : v1.YieldBasis.YIELD_BASIS_OUTLET,
});

export function balanceResultOf(record: BalanceRecord, reconciledAt: string): v1.BalanceResult {
  return {
    plantId: record.plantId,
    plantModelVersion: record.plantModelVersion,
    window: { startTime: dateToTimestamp(record.window.start), endTime: dateToTimestamp(record.window.end) },
    source: record.source === 'request' ? v1.MeasurementSource.MEASUREMENT_SOURCE_REQUEST : v1.MeasurementSource.MEASUREMENT_SOURCE_HISTORY,
    globalTest: testOf(record.globalTest),
    globalTestAfter: testOf(record.globalTestAfter),
    measurementTestCriticalValue: record.measurementTestCritical ?? 0,
    streams: record.streams.map((s) => ({
      streamId: s.streamId,
      fromUnitId: s.from ?? '',
      toUnitId: s.to ?? '',
      tagIds: [...s.tagIds],
      measured: s.measured,
      measuredMassFlowKgPerS: opt(s.measuredKgPerS),
      reconciledMassFlowKgPerS: opt(s.reconciledKgPerS),
      standardDeviationKgPerS: opt(s.sigmaKgPerS),
      adjustmentKgPerS: opt(s.adjustmentKgPerS),
      measurementTestStatistic: opt(s.measurementTest),
      classification: CLASSIFICATION[s.classification] ?? v1.Classification.CLASSIFICATION_UNSPECIFIED,
      grossError: s.grossError,
      medium: s.medium,
      accumulation: s.accumulation,
    })),
    units: record.units.map((u) => ({
      unitId: u.unitId,
      imbalanceBeforeKgPerS: opt(u.imbalanceBeforeKgPerS),
      imbalanceAfterKgPerS: opt(u.imbalanceAfterKgPerS),
      inflowKgPerS: opt(u.inflowKgPerS),
      outflowKgPerS: opt(u.outflowKgPerS),
      accumulationKgPerS: opt(u.accumulationKgPerS),
      closureErrorBeforeRatio: opt(u.closureBeforeRatio),
      closureErrorAfterRatio: opt(u.closureAfterRatio),
      nodalTestStatistic: opt(u.nodalTest),
      suspect: u.suspect,
    })),
    yields: record.yields.map(yieldOf),
    grossErrors: record.grossErrors.map(grossErrorOf),
    losses: record.losses.map(lossOf),
    energy: {
      energyImportW: opt(record.energy.energyImportW),
      energyExportW: opt(record.energy.energyExportW),
      productMassFlowKgPerS: opt(record.energy.productKgPerS),
      specificEnergyConsumptionGjPerT: opt(record.energy.specificEnergyGjPerT),
      headers: record.energy.headers.map((h) => ({
        unitId: h.unitId,
        medium: h.medium,
        supplyKgPerS: opt(h.supplyKgPerS),
        consumptionKgPerS: opt(h.consumptionKgPerS),
        imbalanceBeforeKgPerS: opt(h.imbalanceBeforeKgPerS),
        imbalanceAfterKgPerS: opt(h.imbalanceAfterKgPerS),
        supplyEnergyW: opt(h.supplyEnergyW),
      })),
    },
    steamBalance: record.steamBalance
      ? {
          unitIds: [...record.steamBalance.unitIds],
          globalTest: testOf(record.steamBalance.globalTest),
          temperatures: record.steamBalance.temperatures.map((t) => ({
            streamId: t.streamId,
            tagIds: [...t.tagIds],
            measuredTemperatureK: opt(t.measuredK),
            reconciledTemperatureK: opt(t.reconciledK),
            standardDeviationK: opt(t.sigmaK),
            measurementTestStatistic: opt(t.measurementTest),
            classification: CLASSIFICATION[t.classification as StreamClassification] ?? v1.Classification.CLASSIFICATION_UNSPECIFIED,
            suspect: t.suspect,
          })),
          measurementTestCriticalValue: record.steamBalance.measurementTestCritical ?? 0,
        }
      : null,
    componentBalance: componentBalanceOf(record.componentBalance ?? null),
    solver: record.solver,
    reconciledTime: dateToTimestamp(reconciledAt),
    warnings: [...record.warnings],
    alpha: record.alpha,
  };
}

const componentBalanceOf = (c: ComponentBalanceRecord | null): v1.ComponentBalance | null =>
  c === null
    ? null
    : {
        unitIds: [...c.unitIds],
        components: [...c.components],
        globalTest: testOf(c.globalTest),
        globalTestAfter: testOf(c.globalTestAfter),
        measurementTestCriticalValue: c.measurementTestCritical ?? 0,
        compositions: c.compositions.map((w) => ({
          streamId: w.streamId,
          component: w.component,
          tagIds: [...w.tagIds],
          measured: w.measured,
          measuredMassFraction: opt(w.measuredFraction),
          reconciledMassFraction: opt(w.reconciledFraction),
          standardDeviationMassFraction: opt(w.sigmaFraction),
          adjustmentMassFraction: opt(w.adjustmentFraction),
          measurementTestStatistic: opt(w.measurementTest),
          classification: CLASSIFICATION[w.classification] ?? v1.Classification.CLASSIFICATION_UNSPECIFIED,
          grossError: w.grossError,
        })),
        closures: c.closures.map((u) => ({
          unitId: u.unitId,
          component: u.component,
          imbalanceBeforeKgPerS: opt(u.imbalanceBeforeKgPerS),
          imbalanceAfterKgPerS: opt(u.imbalanceAfterKgPerS),
          inflowKgPerS: opt(u.inflowKgPerS),
          outflowKgPerS: opt(u.outflowKgPerS),
          closureErrorBeforeRatio: opt(u.closureBeforeRatio),
          closureErrorAfterRatio: opt(u.closureAfterRatio),
        })),
      };

export function suspectOf(row: SuspectRow): v1.Suspect {
  return {
    kind: row.kind === 'gross-error' ? v1.SuspectKind.SUSPECT_KIND_GROSS_ERROR : v1.SuspectKind.SUSPECT_KIND_LOSS,
    window: { startTime: dateToTimestamp(row.window.start), endTime: dateToTimestamp(row.window.end) },
    plantModelVersion: row.plantModelVersion,
    grossError: row.grossError ? grossErrorOf(row.grossError) : null,
    loss: row.loss ? lossOf(row.loss) : null,
  };
}

export function classificationOf(view: ClassificationView): v1.GetClassificationResponse {
  return {
    plantId: view.plantId,
    plantModelVersion: view.plantModelVersion,
    streams: view.streams.map((s) => ({
      streamId: s.streamId,
      fromUnitId: s.from ?? '',
      toUnitId: s.to ?? '',
      tagIds: [...s.tagIds],
      measured: s.measured,
      classification: CLASSIFICATION[s.classification],
      accumulation: s.accumulation,
    })),
    counts: view.counts,
    degreesOfFreedom: view.degreesOfFreedom,
  };
}
