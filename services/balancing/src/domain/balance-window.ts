import { BalancingError, BalancingErrorCode, type FieldViolation } from './balancing.errors';

/** A half-open reconciliation window [start, end). */
export interface BalanceWindow {
  readonly start: Date;
  readonly end: Date;
}

/** The window as it travels in events: ISO-8601 UTC instants. */
export interface WindowIso {
  readonly start: string;
  readonly end: string;
}

export const MIN_WINDOW_S = 60;
export const MAX_WINDOW_S = 7 * 86_400;

export const windowSeconds = (w: BalanceWindow): number => (w.end.getTime() - w.start.getTime()) / 1000;

export const toWindowIso = (w: BalanceWindow): WindowIso => ({ start: w.start.toISOString(), end: w.end.toISOString() });

export const fromWindowIso = (w: WindowIso): BalanceWindow => ({ start: new Date(w.start), end: new Date(w.end) });

/**
 * Event stream of one plant's balance in one window: `balance-<plantId>-<start>-<end>` with the
 * instants in compact ISO form (`20261123T100000Z`). Each plant-model version reconciles it once.
 */
export const balanceStreamId = (plantId: string, w: BalanceWindow): string => `balance-${plantId}-${compactIso(w.start)}-${compactIso(w.end)}`;

const compactIso = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.000Z$/, 'Z');

/** Checks a requested window; violations are named under `field`. */
export function windowViolations(w: { start: Date | null; end: Date | null }, field: string): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (!w.start || Number.isNaN(w.start.getTime())) out.push({ field: `${field}.start_time`, description: 'is required' });
  if (!w.end || Number.isNaN(w.end.getTime())) out.push({ field: `${field}.end_time`, description: 'is required' });
  if (out.length > 0) return out;
  const seconds = (w.end!.getTime() - w.start!.getTime()) / 1000;
  if (seconds <= 0) out.push({ field: `${field}.end_time`, description: 'must be after start_time' });
  else if (seconds < MIN_WINDOW_S) out.push({ field: `${field}.end_time`, description: `the window must last at least ${MIN_WINDOW_S} s` });
  else if (seconds > MAX_WINDOW_S) out.push({ field: `${field}.end_time`, description: `the window must last at most ${MAX_WINDOW_S} s (7 days)` });
  return out;
}

/**
 * Scheduled windows are aligned to multiples of the window length since the Unix epoch (hourly
 * windows start on the hour). The window containing `at`.
 */
export function alignedWindowContaining(at: Date, windowS: number): BalanceWindow {
  assertWindowLength(windowS);
  const ms = windowS * 1000;
  const start = Math.floor(at.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

/**
 * Aligned windows holding some of a batch's data, which covers [rangeStart, rangeEnd): those with
 * start < rangeEnd and end > rangeStart. At most `limit`, the newest kept, so a year-long backfill
 * does not queue thousands of windows at once.
 */
export function windowsTouchedBy(rangeStart: Date, rangeEnd: Date, windowS: number, limit = 168): BalanceWindow[] {
  assertWindowLength(windowS);
  const ms = windowS * 1000;
  const windows: BalanceWindow[] = [];
  for (let start = Math.floor(rangeStart.getTime() / ms) * ms; start < rangeEnd.getTime(); start += ms) windows.push({ start: new Date(start), end: new Date(start + ms) });
  return windows.slice(-limit);
}

/**
 * Windows the scheduler should (re)consider at `now`: the last `lookback` complete aligned windows
 * that ended at least `settleS` seconds ago (late data has had time to arrive), oldest first.
 */
export function dueWindows(now: Date, windowS: number, settleS: number, lookback: number): BalanceWindow[] {
  assertWindowLength(windowS);
  const ms = windowS * 1000;
  const lastEnd = Math.floor((now.getTime() - settleS * 1000) / ms) * ms;
  const windows: BalanceWindow[] = [];
  for (let i = lookback - 1; i >= 0; i--) {
    const end = lastEnd - i * ms;
    windows.push({ start: new Date(end - ms), end: new Date(end) });
  }
  return windows;
}

function assertWindowLength(windowS: number): void {
  if (!(Number.isInteger(windowS) && windowS >= MIN_WINDOW_S && windowS <= MAX_WINDOW_S))
    throw new BalancingError(BalancingErrorCode.invalidRequest, `window length must be an integer ${MIN_WINDOW_S}..${MAX_WINDOW_S} s`, {
      violations: [{ field: 'windowS', description: `must be an integer ${MIN_WINDOW_S}..${MAX_WINDOW_S}` }],
    });
}
