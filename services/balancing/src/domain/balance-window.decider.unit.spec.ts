import { DeciderSpecification } from '@reflux/decider';
import type { BalanceRecord } from './balance-record';
import { balanceWindowDecider, type BalanceWindowEvent } from './balance-window.decider';

const spec = DeciderSpecification.for(balanceWindowDecider);
const window = { start: '2026-11-23T10:00:00.000Z', end: '2026-11-23T11:00:00.000Z' };
const test = { statistic: 30, dof: 5, critical: 11.07, pValue: 0.00001, rejected: true };

const record = (version: number, overrides: Partial<BalanceRecord> = {}): BalanceRecord => ({
  plantId: 'p1',
  plantModelVersion: version,
  window,
  source: 'history',
  alpha: 0.05,
  globalTest: test,
  globalTestAfter: { ...test, statistic: 2, rejected: false },
  measurementTestCritical: 2.9,
  counts: { streams: 4, measured: 4, redundant: 4, nonredundant: 0, observable: 0, unobservable: 0, balanceEquations: 2 },
  streams: [],
  units: [],
  yields: [],
  grossErrors: [
    { tagId: 'FI-1', streamId: 's1', biasKgPerS: 1, sigmaKgPerS: 0.1, biasTagUnit: 3.6, tagUnit: 't/h', relativePercent: 10, testStatistic: 25, criticalValue: 8, equivalentIds: [] },
  ],
  losses: [{ unitId: 'U-1', lossKgPerS: 0.5, sigmaKgPerS: 0.05, testStatistic: 20, criticalValue: 8, equivalentIds: [] }],
  energy: { energyImportW: null, energyExportW: null, productKgPerS: null, specificEnergyGjPerT: null, headers: [] },
  steamBalance: null,
  solver: 'closed-form',
  warnings: [],
  ...overrides,
});

const at = '2026-11-23T11:05:00.000Z';
const reconciled = (r: BalanceRecord): BalanceWindowEvent => ({ type: 'BalanceReconciled', data: { record: r, reconciledAt: at } });

describe('balance window decider', () => {
  it('records the balance, then one suspect event per biased meter and per leaking unit', () => {
    const r = record(1);
    const ref = { plantId: 'p1', plantModelVersion: 1, window };
    spec
      .given([])
      .when({ type: 'RecordBalance', data: { record: r, reconciledAt: at } })
      .then([
        reconciled(r),
        { type: 'GrossErrorSuspected', data: { ...ref, grossError: r.grossErrors[0] } },
        { type: 'LossSuspected', data: { ...ref, loss: r.losses[0] } },
      ]);
  });

  it('decides nothing when the window was already reconciled under the same plant-model version', () => {
    spec.given([reconciled(record(1))]).when({ type: 'RecordBalance', data: { record: record(1, { alpha: 0.01 }), reconciledAt: at } }).thenNothingHappens();
  });

  it('reconciles the window again under a new plant-model version', () => {
    const r2 = record(2, { grossErrors: [], losses: [] });
    spec.given([reconciled(record(1))]).when({ type: 'RecordBalance', data: { record: r2, reconciledAt: at } }).then([reconciled(r2)]);
  });

  it('refuses a balance of another window on the same stream', () => {
    const other = record(2, { window: { start: window.start, end: '2026-11-23T12:00:00.000Z' } });
    spec.given([reconciled(record(1))]).when({ type: 'RecordBalance', data: { record: other, reconciledAt: at } }).thenThrows('BALANCING.WINDOW_CONFLICT');
  });
});
