import type { StreamClassification } from '@reflux/reconciliation';
import type { WindowIso } from './balance-window';
import type { ComponentBalanceRecord } from './component-balance';
import type { SteamBalanceRecord } from './steam-energy-balance';
import type { GrossErrorRecord, LossRecord, TestSummary } from './balance-findings';

export { testSummary, type GrossErrorRecord, type LossRecord, type TestSummary } from './balance-findings';

export interface StreamRecord {
  readonly streamId: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly medium: string;
  readonly tagIds: readonly string[];
  readonly accumulation: boolean;
  readonly measured: boolean;
  readonly measuredKgPerS: number | null;
  readonly reconciledKgPerS: number | null;
  readonly sigmaKgPerS: number | null;
  readonly adjustmentKgPerS: number | null;
  readonly measurementTest: number | null;
  readonly classification: StreamClassification;
  readonly grossError: boolean;
  /**
   * Streams with two or more meters: each meter's own reading, adjustment and test (the stream's
   * `measuredKgPerS` is then their inverse-variance mean). Absent for one meter or none.
   */
  readonly meters?: readonly MeterRecord[];
}

export interface MeterRecord {
  readonly tagId: string;
  readonly measuredKgPerS: number;
  readonly sigmaKgPerS: number;
  readonly adjustmentKgPerS: number | null;
  readonly measurementTest: number | null;
  readonly grossError: boolean;
}

export interface UnitClosureRecord {
  readonly unitId: string;
  readonly imbalanceBeforeKgPerS: number | null;
  readonly imbalanceAfterKgPerS: number | null;
  readonly inflowKgPerS: number | null;
  readonly outflowKgPerS: number | null;
  readonly accumulationKgPerS: number | null;
  readonly closureBeforeRatio: number | null;
  readonly closureAfterRatio: number | null;
  readonly nodalTest: number | null;
  readonly suspect: boolean;
}

export interface YieldRecord {
  readonly unitId: string;
  readonly streamId: string;
  readonly medium: string;
  readonly ratio: number;
  readonly massFlowKgPerS: number;
  readonly sigmaRatio: number | null;
  /** `inlet`: over the total feed; `outlet`: over the sum of the outlets (the feed is not observable). */
  readonly basis: 'inlet' | 'outlet';
}

export interface HeaderRecord {
  readonly unitId: string;
  readonly medium: string;
  readonly supplyKgPerS: number | null;
  readonly consumptionKgPerS: number | null;
  readonly imbalanceBeforeKgPerS: number | null;
  readonly imbalanceAfterKgPerS: number | null;
  readonly supplyEnergyW: number | null;
}

export interface EnergyRecord {
  readonly energyImportW: number | null;
  readonly energyExportW: number | null;
  readonly productKgPerS: number | null;
  readonly specificEnergyGjPerT: number | null;
  readonly headers: readonly HeaderRecord[];
}

export type MeasurementSourceName = 'history' | 'request';

/** What a reconciled window holds; plain JSON, stored in the `BalanceReconciled` event. All flows kg/s. */
export interface BalanceRecord {
  readonly plantId: string;
  readonly plantModelVersion: number;
  readonly window: WindowIso;
  readonly source: MeasurementSourceName;
  readonly alpha: number;
  readonly globalTest: TestSummary;
  readonly globalTestAfter: TestSummary;
  /** Šidák-corrected critical value of the measurement tests; null when no measurement is redundant. */
  readonly measurementTestCritical: number | null;
  readonly counts: {
    readonly streams: number;
    readonly measured: number;
    readonly redundant: number;
    readonly nonredundant: number;
    readonly observable: number;
    readonly unobservable: number;
    readonly balanceEquations: number;
  };
  readonly streams: readonly StreamRecord[];
  readonly units: readonly UnitClosureRecord[];
  readonly yields: readonly YieldRecord[];
  readonly grossErrors: readonly GrossErrorRecord[];
  readonly losses: readonly LossRecord[];
  readonly energy: EnergyRecord;
  /** Joint mass and energy reconciliation of the steam headers and letdowns; null when none qualifies. */
  readonly steamBalance: SteamBalanceRecord | null;
  /**
   * Component balances (flow × mass fraction) of the units the plant model allows, reconciled with
   * their mass balances; null when none is planned. Absent in records stored before they existed.
   */
  readonly componentBalance?: ComponentBalanceRecord | null;
  readonly solver: string;
  readonly warnings: readonly string[];
}
