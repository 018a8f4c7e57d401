import type { googleProtobuf } from '@reflux/proto';

type Timestamp = googleProtobuf.Timestamp;

/** ISO 8601 text, epoch milliseconds, or a relative `-15m` / `-2h` / `-1d` / `now`. */
export function parseInstant(text: string, now = Date.now()): Date {
  if (text === 'now') return new Date(now);
  const relative = /^-(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  if (relative) {
    const factor = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * factor);
  }
  const date = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: "${text}" (use ISO 8601, epoch ms, now, or -15m/-2h/-1d)`);
  return date;
}

/** Durations such as `1m`, `15m`, `1h`, `30s`. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 30s, 1m, 1h)`);
  const factor = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * factor;
}

export function toTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function fromTimestamp(ts: Timestamp | null | undefined): string | null {
  if (!ts) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.round(ts.nanos / 1e6)).toISOString();
}
