import type { refluxIngestionV1 as v1 } from '@reflux/proto';
import { piSystemStateCode } from '@reflux/ingestion-client';
import { instantsOf } from '@reflux/plant-model';
import { toTimestamp } from './time';

/** A CSV problem with its line number, so a bad file says where it is bad. */
export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvColumns {
  readonly tag: number;
  readonly time: number;
  readonly value: number;
  readonly quality?: number;
  readonly unit?: number;
}

const ALIASES: Record<keyof CsvColumns, readonly string[]> = {
  tag: ['tag', 'tag_id', 'tagid', 'tag id', 'name'],
  time: ['time', 'timestamp', 'ts', 'datetime'],
  value: ['value', 'val', 'v'],
  quality: ['quality', 'status', 'q'],
  unit: ['unit', 'uom', 'units'],
};

/** Maps a header row (`tag,time,value[,quality][,unit]`, in any order, common aliases) to columns. */
export function parseHeader(header: string): CsvColumns {
  const names = splitCsvLine(header).map((h) => h.trim().toLowerCase());
  const find = (key: keyof CsvColumns) => {
    const i = names.findIndex((n) => ALIASES[key].includes(n));
    return i < 0 ? undefined : i;
  };
  const tag = find('tag');
  const time = find('time');
  const value = find('value');
  const missing = [tag === undefined && 'tag', time === undefined && 'time', value === undefined && 'value'].filter(Boolean);
  if (missing.length > 0) throw new CsvError(1, `header needs columns ${missing.join(', ')} (got: ${names.join(', ')})`);
  return { tag: tag!, time: time!, value: value!, quality: find('quality'), unit: find('unit') };
}

/** How rows are read: the zone of times written without an offset (none: such times are refused). */
export interface RowOptions {
  readonly timeZone?: string;
}

/**
 * One data row to a sample. Time: ISO 8601 with an offset (`Z`, `+01:00`) or epoch ms; a time
 * without an offset only with `timeZone` (read as that zone's wall clock; a time in the hour skipped
 * when clocks go forward is refused, one in the repeated hour is its first occurrence). Quality: an
 * OPC UA StatusCode number, good/uncertain/bad, or a PI system state. Value: a number, or a PI
 * system state ("Comm Fail", "I/O Timeout", "Shutdown", …; stored as NaN with that state's status),
 * or empty/NaN with a Bad or Uncertain quality (an outage).
 */
export function parseRow(line: string, lineNumber: number, columns: CsvColumns, options: RowOptions = {}): v1.Sample {
  const cells = splitCsvLine(line);
  const cell = (i: number | undefined) => (i === undefined ? undefined : cells[i]?.trim());
  const tagId = cell(columns.tag);
  if (!tagId) throw new CsvError(lineNumber, 'empty tag');
  const time = parseTime(cell(columns.time) ?? '', lineNumber, options.timeZone);
  const valueText = cell(columns.value) ?? '';
  let quality = parseQuality(cell(columns.quality), lineNumber);
  let value = Number(valueText);
  const state = valueText === '' ? undefined : piSystemStateCode(valueText);
  if (state !== undefined && Number.isNaN(value)) {
    value = Number.NaN;
    if (quality >>> 30 === 0) quality = state;
  } else if ((valueText === '' || /^nan$/i.test(valueText)) && quality >>> 30 !== 0) {
    value = Number.NaN;
  } else if (valueText === '' || Number.isNaN(value)) {
    throw new CsvError(lineNumber, `not a number: "${valueText}" (a number, a PI system state such as "Comm Fail", or empty with a bad quality)`);
  }
  const sample: v1.Sample = { tagId, time: toTimestamp(new Date(time)), value, quality };
  const unit = cell(columns.unit);
  return unit ? { ...sample, unit } : sample;
}

const OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

function parseTime(text: string, line: number, timeZone: string | undefined): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const local = LOCAL.exec(text);
  if (local) {
    if (!timeZone) throw new CsvError(line, `time "${text}" has no offset: write it with Z or +hh:mm, or give --timezone (e.g. Europe/Berlin)`);
    const [, y, mo, d, h, mi, s, ms] = local;
    const wall = { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: s ? +s : 0, millisecond: ms ? Number(ms.padEnd(3, '0')) : 0 };
    const at = instantsOf(wall, timeZone);
    if (at.length === 0) throw new CsvError(line, `time "${text}" does not exist in ${timeZone} (clocks went forward)`);
    return at[0]!;
  }
  const t = OFFSET.test(text) ? new Date(text).getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new CsvError(line, `not a time: "${text}" (ISO 8601 with an offset, or epoch ms)`);
  return t;
}

const NAMED_QUALITY: Record<string, number> = { good: 0, uncertain: 0x40000000, bad: 0x80000000 };

function parseQuality(text: string | undefined, line: number): number {
  if (text === undefined || text === '') return 0;
  const named = NAMED_QUALITY[text.toLowerCase()] ?? piSystemStateCode(text);
  if (named !== undefined) return named;
  const n = text.startsWith('0x') ? Number.parseInt(text, 16) : Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new CsvError(line, `not a quality: "${text}" (good, uncertain, bad, a PI system state, or an OPC UA StatusCode)`);
  return n;
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  return cells;
}
