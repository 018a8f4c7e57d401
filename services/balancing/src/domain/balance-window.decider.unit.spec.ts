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

  describe('revisions (late data)', () => {
    const ref = { plantId: 'p1', plantModelVersion: 1, window };
    const later = '2026-11-23T12:30:00.000Z';

    it('decides nothing when the window reconciled again says the same', () => {
      spec.given([reconciled(record(1))]).when({ type: 'ReviseBalance', data: { record: record(1), reconciledAt: later } }).thenNothingHappens();
    });

    it('records the first result when a revision finds nothing stored', () => {
      const r = record(1, { grossErrors: [], losses: [] });
      spec.given([]).when({ type: 'ReviseBalance', data: { record: r, reconciledAt: at } }).then([reconciled(r)]);
    });

    it('revises a changed window: the new suspect is published and the one that disappeared is cleared', () => {
      const FI2 = { ...record(1).grossErrors[0], tagId: 'FI-2', streamId: 's2' };
      const revised = record(1, { grossErrors: [FI2], globalTest: { ...test, statistic: 29 } });
      spec
        .given([reconciled(record(1))])
        .when({ type: 'ReviseBalance', data: { record: revised, reconciledAt: later } })
        .then([
          { type: 'BalanceRevised', data: { record: revised, reconciledAt: later, revision: 1 } },
          { type: 'GrossErrorSuspected', data: { ...ref, grossError: FI2, revision: 1 } },
          { type: 'GrossErrorCleared', data: { ...ref, revision: 1, suspect: { kind: 'measurement', tagId: 'FI-1', streamId: 's1' } } },
        ]);
    });

    it('numbers revisions and clears a loss that late data explains', () => {
      const first = record(1, { globalTest: { ...test, statistic: 28 } });
      const second = record(1, { losses: [] });
      spec
        .given([reconciled(record(1)), { type: 'BalanceRevised', data: { record: first, reconciledAt: later, revision: 1 } }])
        .when({ type: 'ReviseBalance', data: { record: second, reconciledAt: later } })
        .then([
          { type: 'BalanceRevised', data: { record: second, reconciledAt: later, revision: 2 } },
          { type: 'GrossErrorCleared', data: { ...ref, revision: 2, suspect: { kind: 'loss', unitId: 'U-1' } } },
        ]);
    });

    it('does not revise on a plain re-trigger (schedule, repeated call)', () => {
      spec.given([reconciled(record(1))]).when({ type: 'RecordBalance', data: { record: record(1, { losses: [] }), reconciledAt: later } }).thenNothingHappens();
    });
  });

  describe('persistence (only suspects found in enough windows are published)', () => {
    const ref = { plantId: 'p1', plantModelVersion: 1, window };

    it('records every finding but publishes only the persistent suspects', () => {
      const r = record(1);
      spec
        .given([])
        .when({ type: 'RecordBalance', data: { record: r, reconciledAt: at, publish: ['loss:U-1'] } })
        .then([{ type: 'BalanceReconciled', data: { record: r, reconciledAt: at, published: ['loss:U-1'] } }, { type: 'LossSuspected', data: { ...ref, loss: r.losses[0] } }]);
    });

    it('publishes a suspect on revision once it persisted, and clears only what was published', () => {
      const r = record(1);
      const stored: BalanceWindowEvent = { type: 'BalanceReconciled', data: { record: r, reconciledAt: at, published: ['loss:U-1'] } };
      const revised = record(1, { losses: [] });
      spec
        .given([stored])
        .when({ type: 'ReviseBalance', data: { record: revised, reconciledAt: at, publish: ['measurement:FI-1:'] } })
        .then([
          { type: 'BalanceRevised', data: { record: revised, reconciledAt: at, revision: 1, published: ['measurement:FI-1:'] } },
          { type: 'GrossErrorSuspected', data: { ...ref, grossError: r.grossErrors[0], revision: 1 } },
          { type: 'GrossErrorCleared', data: { ...ref, revision: 1, suspect: { kind: 'loss', unitId: 'U-1' } } },
        ]);
    });
  });
});
