/**
 * Plant-local time: a site's IANA time zone (`Europe/Berlin`), wall-clock times read in it, and
 * local days and shifts as instants, with the 23- and 25-hour days of daylight-saving changes.
 * Pure (the zone rules come from the runtime's Intl data).
 */

/** A wall-clock time without an offset. Months 1–12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for a time zone name the runtime knows (`UTC`, `Europe/Berlin`, `America/Chicago`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an instant in a zone. */
export function wallTimeAt(instantMs: number, zone: string): WallTime {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  const ms = ((instantMs % 1000) + 1000) % 1000;
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second']), millisecond: ms };
}

/** The zone's offset from UTC at an instant, ms (Berlin in summer: +7 200 000). */
export function offsetAt(instantMs: number, zone: string): number {
  return asUtc(wallTimeAt(instantMs, zone)) - instantMs;
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/**
 * The instants at which a zone's clocks show a wall-clock time, earliest first: one normally, none
 * in the hour skipped when clocks go forward, two in the hour repeated when they go back.
 */
export function instantsOf(wall: WallTime, zone: string): number[] {
  const naive = asUtc(wall);
  const offsets = new Set([offsetAt(naive - 86_400_000, zone), offsetAt(naive, zone), offsetAt(naive + 86_400_000, zone)]);
  const out = [...offsets].map((o) => naive - o).filter((t) => asUtc(wallTimeAt(t, zone)) === naive);
  return [...new Set(out)].sort((a, b) => a - b);
}

/** Start of the local day holding an instant (local midnight, as an instant). */
export function localDayStart(instantMs: number, zone: string): number {
  const w = wallTimeAt(instantMs, zone);
  return localMidnight(w.year, w.month, w.day, zone);
}

/** Local midnight of a calendar date; where midnight is skipped, the first instant of that day. */
function localMidnight(year: number, month: number, day: number, zone: string): number {
  for (let minute = 0; minute < 24 * 60; minute += 15) {
    const at = instantsOf({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }, zone);
    if (at.length > 0) return at[0];
  }
  throw new Error(`no local time on ${year}-${month}-${day} in ${zone}`);
}

/** A plant-local window [startMs, endMs) with the local date it belongs to (`2026-03-29`). */
export interface LocalWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly localDate: string;
  /** Index of the shift within the day (0 for whole days). */
  readonly shift: number;
}

const dateText = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The local days that overlap [fromMs, toMs), each from local midnight to the next: 24 hours
 * normally, 23 on the day clocks go forward, 25 on the day they go back.
 */
export function localDays(fromMs: number, toMs: number, zone: string): LocalWindow[] {
  return localShifts(fromMs, toMs, zone, [0]);
}

/**
 * Shift windows of the local days overlapping [fromMs, toMs): shifts start at the given local hours
 * of each day (e.g. [6, 14, 22]; the last runs to the first of the next day). A shift that starts
 * in a skipped hour starts when the clocks resume; one in a repeated hour at its first occurrence.
 */
export function localShifts(fromMs: number, toMs: number, zone: string, startHours: readonly number[]): LocalWindow[] {
  const hours = [...startHours].sort((a, b) => a - b);
  if (hours.length === 0 || hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) throw new Error('shift start hours must be whole hours 0–23');
  const out: LocalWindow[] = [];
  // Start a day early: the previous day's last shift may reach into the range.
  const w = wallTimeAt(localDayStart(fromMs, zone) - 1, zone);
  let date = { year: w.year, month: w.month, day: w.day };
  for (;;) {
    const starts = hours.map((h) => startOf(date, h, zone));
    const next = nextDate(date);
    const nextFirst = startOf(next, hours[0], zone);
    for (let i = 0; i < starts.length; i++) {
      const startMs = starts[i];
      const endMs = i + 1 < starts.length ? starts[i + 1] : nextFirst;
      if (startMs >= toMs) return out;
      if (endMs > fromMs) out.push({ startMs, endMs, localDate: dateText(date.year, date.month, date.day), shift: i });
    }
    date = next;
  }
}

function startOf(date: { year: number; month: number; day: number }, hour: number, zone: string): number {
  if (hour === 0) return localMidnight(date.year, date.month, date.day, zone);
  for (let minute = hour * 60; minute < 24 * 60; minute += 15) {
    const at = instantsOf({ ...date, hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }, zone);
    if (at.length > 0) return at[0];
  }
  throw new Error(`no local time after ${hour}:00 on ${dateText(date.year, date.month, date.day)} in ${zone}`);
}

function nextDate(d: { year: number; month: number; day: number }): { year: number; month: number; day: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
