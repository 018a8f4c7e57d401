/** Display of units and times: engineering-unit codes as operators read them, times in the plant's own zone. */

const UNIT_DISPLAY: Record<string, string> = {
  degC: '°C',
  degF: '°F',
  'm3/h': 'm³/h',
  'Nm3/h': 'Nm³/h',
  'm3/s': 'm³/s',
  m3: 'm³',
  'kg/m3': 'kg/m³',
  m2: 'm²',
  'm/s2': 'm/s²',
  ohm: 'Ω',
  um: 'µm',
  us: 'µs',
  pct: '%',
  percent: '%',
  CO2: 'CO₂',
  't CO2': 't CO₂',
};

/** `degC` → `°C`, `m3/h` → `m³/h`; a unit not in the map is shown as it is. */
export const displayUnit = (unit: string | undefined | null): string => (unit ? (UNIT_DISPLAY[unit] ?? unit) : '');

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(seconds && { second: '2-digit' }), hourCycle: 'h23', timeZoneName: 'shortOffset' });
    formatters.set(key, f);
  }
  return f;
}

/** The parts of an instant in a zone: `2026-01-15 07:00:05` and its offset `UTC+01:00`. */
export function zoned(ms: number, timeZone: string, seconds = true): { date: string; time: string; offset: string } {
  const parts = Object.fromEntries(formatter(timeZone, seconds).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const gmt = (parts['timeZoneName'] ?? 'GMT').replace(/^GMT/, '');
  const m = /^([+-])(\d{1,2})(?::(\d{2}))?$/.exec(gmt);
  const offset = m ? `UTC${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}` : 'UTC';
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}${seconds ? `:${parts['second']}` : ''}`, offset };
}

/** An ISO instant in plant-local time with its offset: `2026-01-15 07:00:05 UTC+01:00`; `—` when absent. */
export function localTime(iso: string | undefined | null, timeZone: string, o: { seconds?: boolean } = {}): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return '—';
  const z = zoned(ms, timeZone, o.seconds ?? true);
  return `${z.date} ${z.time} ${z.offset}`;
}

/** The zone as a caption: `Europe/Amsterdam (UTC+01:00)`. */
export const zoneCaption = (timeZone: string, atMs = Date.now()): string => `${timeZone} (${zoned(atMs, timeZone).offset})`;
