/** Who asks: the caller's own credential, forwarded so that each service authorises the caller itself. */
export interface Caller {
  readonly subject: string;
  /** `Bearer <token>` (from the header or the session cookie). */
  readonly authorization?: string;
}

export type SnapshotKind = 'tags' | 'balances' | 'alarms' | 'schedule' | 'allocation' | 'limits' | 'plants';

/**
 * A source of one snapshot, one adapter per service (ingestion → tags, balancing → balances, safety
 * → alarms and limits, scheduling → schedule, supply chain → allocation; the plant-model files →
 * plants). A kind without a source answers "service not available".
 */
export interface SnapshotSource {
  readonly kind: SnapshotKind;
  /** The service behind it, for messages and the page. */
  readonly service: string;
  read(query: URLSearchParams, caller: Caller): Promise<unknown>;
}

/** Alarm actions, forwarded to the safety service with the caller's identity. */
export interface AlarmActions {
  acknowledge(request: { plantId: string; alarmId: string; reason: string }, caller: Caller): Promise<unknown>;
  shelve(request: { plantId: string; alarmId: string; reason: string; expiresAt: Date }, caller: Caller): Promise<unknown>;
}

/** The latest reconciled window of each plant, from the event log (BalanceReconciled / BalanceRevised). */
export interface LatestBalanceWindows {
  windows(): ReadonlyMap<string, { readonly start: string; readonly end: string; readonly position: number }>;
}
