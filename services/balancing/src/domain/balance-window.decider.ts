import type { Decider } from '@reflux/decider';
import { canonicalJson } from '@reflux/plant-model';
import type { BalanceRecord, GrossErrorRecord, LossRecord } from './balance-record';
import type { WindowIso } from './balance-window';
import { BalancingError, BalancingErrorCode } from './balancing.errors';

interface RecordData {
  readonly record: BalanceRecord;
  readonly reconciledAt: string;
  /**
   * Keys (`suspectKey`) of the record's suspects to publish: those that persisted over enough
   * windows. Absent: every suspect of the record.
   */
  readonly publish?: readonly string[];
}

export type BalanceWindowCommand =
  | { readonly type: 'RecordBalance'; readonly data: RecordData }
  /** Reconciled again (late data): a new revision when the result changed, the first result when there is none. */
  | { readonly type: 'ReviseBalance'; readonly data: RecordData };

interface WindowRef {
  readonly plantId: string;
  readonly plantModelVersion: number;
  readonly window: WindowIso;
}

/** What a cleared suspect was: a measurement (meter, level or analyser) or a unit's loss. */
export type ClearedSuspect =
  | { readonly kind: 'measurement'; readonly tagId: string; readonly streamId: string; readonly component?: string }
  | { readonly kind: 'loss'; readonly unitId: string };

export type BalanceWindowEvent =
  | { readonly type: 'BalanceReconciled'; readonly data: { readonly record: BalanceRecord; readonly reconciledAt: string; readonly published?: readonly string[] } }
  | { readonly type: 'BalanceRevised'; readonly data: { readonly record: BalanceRecord; readonly reconciledAt: string; readonly revision: number; readonly published?: readonly string[] } }
  | { readonly type: 'GrossErrorSuspected'; readonly data: WindowRef & { readonly grossError: GrossErrorRecord; readonly revision?: number } }
  | { readonly type: 'LossSuspected'; readonly data: WindowRef & { readonly loss: LossRecord; readonly revision?: number } }
  | { readonly type: 'GrossErrorCleared'; readonly data: WindowRef & { readonly revision: number; readonly suspect: ClearedSuspect } };

export const BALANCE_EVENT_TYPES = ['BalanceReconciled', 'BalanceRevised', 'GrossErrorSuspected', 'LossSuspected', 'GrossErrorCleared'] as const;

export interface StoredBalance {
  readonly record: BalanceRecord;
  readonly reconciledAt: string;
  /** 0 for the first result of a plant-model version, then 1, 2 … per revision. */
  readonly revision: number;
  /** Keys of the suspects published for it (every suspect of the record when absent). */
  readonly published?: readonly string[];
}

export interface BalanceWindowState {
  readonly plantId: string | null;
  readonly window: WindowIso | null;
  /** Plant-model versions this window was reconciled under, with the newest result (revision) of each. */
  readonly reconciled: ReadonlyMap<number, StoredBalance>;
}

const measurementKey = (g: GrossErrorRecord): string => `measurement:${g.tagId}:${g.component ?? ''}`;
const lossKey = (l: LossRecord): string => `loss:${l.unitId}`;

/** The identity of a suspect across windows: the measurement (tag and component) or the unit. */
export const suspectKey = (suspect: { readonly kind: 'measurement'; readonly grossError: GrossErrorRecord } | { readonly kind: 'loss'; readonly loss: LossRecord }): string =>
  suspect.kind === 'measurement' ? measurementKey(suspect.grossError) : lossKey(suspect.loss);

/** Keys of every suspect a record holds. */
export const suspectKeys = (record: BalanceRecord): string[] => [...record.grossErrors.map(measurementKey), ...record.losses.map(lossKey)];

/** Keys of the suspects published for a stored result. */
const publishedOf = (stored: { readonly record: BalanceRecord; readonly published?: readonly string[] }): Set<string> => new Set(stored.published ?? suspectKeys(stored.record));

/**
 * The balance of one plant in one window. Reconciling records the result and one suspect event per
 * biased meter and per leaking unit; a window is reconciled once per plant-model version, so a
 * re-trigger (schedule, a repeated gRPC call) decides nothing. Late data revises it: when the
 * result differs, `BalanceRevised` with the next revision, a suspect event for each suspect the
 * revision adds and `GrossErrorCleared` for each it no longer has.
 */
export const balanceWindowDecider: Decider<BalanceWindowCommand, BalanceWindowEvent, BalanceWindowState> = {
  initialState: () => ({ plantId: null, window: null, reconciled: new Map() }),

  decide(command, state) {
    const { record, reconciledAt, publish } = command.data;
    if (state.plantId !== null && state.window !== null) {
      if (state.plantId !== record.plantId || state.window.start !== record.window.start || state.window.end !== record.window.end)
        throw new BalancingError(
          BalancingErrorCode.windowMismatch,
          `stream holds ${state.plantId} [${state.window.start}, ${state.window.end}), not ${record.plantId} [${record.window.start}, ${record.window.end})`,
        );
    }
    const ref: WindowRef = { plantId: record.plantId, plantModelVersion: record.plantModelVersion, window: record.window };
    const stored = state.reconciled.get(record.plantModelVersion);
    const after = publish ? new Set(publish) : new Set(suspectKeys(record));
    const published = publish ? { published: [...publish] } : {};
    switch (command.type) {
      case 'RecordBalance':
      case 'ReviseBalance': {
        if (!stored)
          return [
            { type: 'BalanceReconciled', data: { record, reconciledAt, ...published } },
            ...record.grossErrors.filter((g) => after.has(measurementKey(g))).map((grossError) => ({ type: 'GrossErrorSuspected' as const, data: { ...ref, grossError } })),
            ...record.losses.filter((l) => after.has(lossKey(l))).map((loss) => ({ type: 'LossSuspected' as const, data: { ...ref, loss } })),
          ];
        const before = publishedOf(stored);
        if (command.type === 'RecordBalance' || (sameBalance(stored.record, record) && [...after].every((k) => before.has(k)) && before.size === after.size)) return [];
        const revision = stored.revision + 1;
        return [
          { type: 'BalanceRevised', data: { record, reconciledAt, revision, ...published } },
          ...record.grossErrors.filter((g) => after.has(measurementKey(g)) && !before.has(measurementKey(g))).map((grossError) => ({ type: 'GrossErrorSuspected' as const, data: { ...ref, grossError, revision } })),
          ...record.losses.filter((l) => after.has(lossKey(l)) && !before.has(lossKey(l))).map((loss) => ({ type: 'LossSuspected' as const, data: { ...ref, loss, revision } })),
          ...stored.record.grossErrors
            .filter((g) => before.has(measurementKey(g)) && !after.has(measurementKey(g)))
            .map((g) => ({
              type: 'GrossErrorCleared' as const,
              data: { ...ref, revision, suspect: { kind: 'measurement' as const, tagId: g.tagId, streamId: g.streamId, ...(g.component !== undefined && { component: g.component }) } },
            })),
          ...stored.record.losses
            .filter((l) => before.has(lossKey(l)) && !after.has(lossKey(l)))
            .map((l) => ({ type: 'GrossErrorCleared' as const, data: { ...ref, revision, suspect: { kind: 'loss' as const, unitId: l.unitId } } })),
        ];
      }
      default: {
        const exhaustive: never = command;
        throw new Error(`unknown command ${String((exhaustive as { type: unknown }).type)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BalanceReconciled':
      case 'BalanceRevised': {
        const reconciled = new Map(state.reconciled);
        const revision = event.type === 'BalanceRevised' ? event.data.revision : 0;
        reconciled.set(event.data.record.plantModelVersion, { record: event.data.record, reconciledAt: event.data.reconciledAt, revision, ...(event.data.published && { published: event.data.published }) });
        return { plantId: event.data.record.plantId, window: event.data.record.window, reconciled };
      }
      case 'GrossErrorSuspected':
      case 'LossSuspected':
      case 'GrossErrorCleared':
        return state;
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  },
};

/**
 * Whether a new result of a window says the same as the stored one. Records are deterministic in
 * their inputs, so equal inputs give equal records; any change of a measurement changes it. Compared
 * as canonical JSON: a stored record comes back from the database with its keys in another order.
 */
export function sameBalance(a: BalanceRecord, b: BalanceRecord): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
