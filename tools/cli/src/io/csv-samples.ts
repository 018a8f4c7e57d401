import type { refluxIngestionV1 as v1 } from '@reflux/proto';
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

/** One data row to a sample; quality is an OPC UA StatusCode number, or good/uncertain/bad. */
export function parseRow(line: string, lineNumber: number, columns: CsvColumns): v1.Sample {
  const cells = splitCsvLine(line);
  const cell = (i: number | undefined) => (i === undefined ? undefined : cells[i]?.trim());
  const tagId = cell(columns.tag);
  if (!tagId) throw new CsvError(lineNumber, 'empty tag');
  const timeText = cell(columns.time) ?? '';
  const time = /^\d+(\.\d+)?$/.test(timeText) ? new Date(Number(timeText)) : new Date(timeText);
  if (Number.isNaN(time.getTime())) throw new CsvError(lineNumber, `not a time: "${timeText}" (ISO 8601 or epoch ms)`);
  const valueText = cell(columns.value) ?? '';
  const value = Number(valueText);
  if (valueText === '' || Number.isNaN(value)) throw new CsvError(lineNumber, `not a number: "${valueText}"`);
  const sample: v1.Sample = { tagId, time: toTimestamp(time), value, quality: parseQuality(cell(columns.quality), lineNumber) };
  const unit = cell(columns.unit);
  return unit ? { ...sample, unit } : sample;
}

const NAMED_QUALITY: Record<string, number> = { good: 0, uncertain: 0x40000000, bad: 0x80000000 };

function parseQuality(text: string | undefined, line: number): number {
  if (text === undefined || text === '') return 0;
  const named = NAMED_QUALITY[text.toLowerCase()];
  if (named !== undefined) return named;
  const n = text.startsWith('0x') ? Number.parseInt(text, 16) : Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new CsvError(line, `not a quality: "${text}" (good, uncertain, bad, or an OPC UA StatusCode)`);
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
