import type { Decider } from '@reflux/decider';
import type { BalanceRecord, GrossErrorRecord, LossRecord } from './balance-record';
import type { WindowIso } from './balance-window';
import { BalancingError, BalancingErrorCode } from './balancing.errors';

export type BalanceWindowCommand = {
  readonly type: 'RecordBalance';
  readonly data: { readonly record: BalanceRecord; readonly reconciledAt: string };
};

interface WindowRef {
  readonly plantId: string;
  readonly plantModelVersion: number;
  readonly window: WindowIso;
}

export type BalanceWindowEvent =
  | { readonly type: 'BalanceReconciled'; readonly data: { readonly record: BalanceRecord; readonly reconciledAt: string } }
  | { readonly type: 'GrossErrorSuspected'; readonly data: WindowRef & { readonly grossError: GrossErrorRecord } }
  | { readonly type: 'LossSuspected'; readonly data: WindowRef & { readonly loss: LossRecord } };

export const BALANCE_EVENT_TYPES = ['BalanceReconciled', 'GrossErrorSuspected', 'LossSuspected'] as const;

export interface BalanceWindowState {
  readonly plantId: string | null;
  readonly window: WindowIso | null;
  /** Plant-model versions this window was reconciled under, with the stored result. */
  readonly reconciled: ReadonlyMap<number, { readonly record: BalanceRecord; readonly reconciledAt: string }>;
}

/**
 * The balance of one plant in one window. Reconciling records the result and one suspect event per
 * biased meter and per leaking unit; a window is reconciled once per plant-model version, so a
 * re-trigger (schedule, a late `MeasurementsIngested`, a repeated gRPC call) decides nothing.
 */
export const balanceWindowDecider: Decider<BalanceWindowCommand, BalanceWindowEvent, BalanceWindowState> = {
  initialState: () => ({ plantId: null, window: null, reconciled: new Map() }),

  decide(command, state) {
    switch (command.type) {
      case 'RecordBalance': {
        const { record, reconciledAt } = command.data;
        if (state.plantId !== null && state.window !== null) {
          if (state.plantId !== record.plantId || state.window.start !== record.window.start || state.window.end !== record.window.end)
            throw new BalancingError(
              BalancingErrorCode.windowMismatch,
              `stream holds ${state.plantId} [${state.window.start}, ${state.window.end}), not ${record.plantId} [${record.window.start}, ${record.window.end})`,
            );
        }
        if (state.reconciled.has(record.plantModelVersion)) return [];
        const ref: WindowRef = { plantId: record.plantId, plantModelVersion: record.plantModelVersion, window: record.window };
        return [
          { type: 'BalanceReconciled', data: { record, reconciledAt } },
          ...record.grossErrors.map((grossError) => ({ type: 'GrossErrorSuspected' as const, data: { ...ref, grossError } })),
          ...record.losses.map((loss) => ({ type: 'LossSuspected' as const, data: { ...ref, loss } })),
        ];
      }
      default: {
        const exhaustive: never = command.type;
        throw new Error(`unknown command ${String(exhaustive)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BalanceReconciled': {
        const reconciled = new Map(state.reconciled);
        reconciled.set(event.data.record.plantModelVersion, event.data);
        return { plantId: event.data.record.plantId, window: event.data.record.window, reconciled };
      }
      case 'GrossErrorSuspected':
      case 'LossSuspected':
        return state;
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  },
};
