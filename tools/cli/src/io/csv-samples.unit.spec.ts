import { CsvError, parseHeader, parseRow, splitCsvLine } from './csv-samples';

describe('CSV samples', () => {
  it('finds columns by name in any order, with common aliases', () => {
    expect(parseHeader('timestamp,Value,tag_id,unit')).toEqual({ tag: 2, time: 0, value: 1, quality: undefined, unit: 3 });
  });

  it('rejects a header without a value column, naming it', () => {
    expect(() => parseHeader('tag,time')).toThrow(/needs columns value/);
  });

  it('parses a row with ISO time, named quality and unit', () => {
    const columns = parseHeader('tag,time,value,quality,unit');
    expect(parseRow('FI-101,2026-01-01T00:00:01.250Z,12.5,uncertain,t/h', 2, columns)).toEqual({
      tagId: 'FI-101',
      time: { seconds: '1767225601', nanos: 250_000_000 },
      value: 12.5,
      quality: 0x40000000,
      unit: 't/h',
    });
  });

  it('says which line is bad and why', () => {
    const columns = parseHeader('tag,time,value');
    expect(() => parseRow('FI-101,yesterday,1', 7, columns)).toThrow(new CsvError(7, 'not a time: "yesterday" (ISO 8601 with an offset, or epoch ms)'));
    expect(() => parseRow('FI-101,0,abc', 8, columns)).toThrow(/line 8: not a number/);
  });

  it('refuses a time without an offset unless a time zone is given, and reads it in that zone, DST included', () => {
    const columns = parseHeader('tag,time,value');
    expect(() => parseRow('FI-101,2026-07-01 12:00:00,1', 3, columns)).toThrow(/line 3: time "2026-07-01 12:00:00" has no offset.*--timezone/);
    const at = (text: string) => {
      const t = parseRow(`FI-101,${text},1`, 2, columns, { timeZone: 'Europe/Berlin' }).time!;
      return Number(t.seconds) * 1000 + t.nanos / 1e6;
    };
    expect(at('2026-07-01 12:00:00')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(at('2026-01-01T12:00:00.5')).toBe(Date.UTC(2026, 0, 1, 11, 0, 0, 500));
    expect(at('2026-07-01T12:00:00Z')).toBe(Date.UTC(2026, 6, 1, 12)); // an explicit offset wins
    expect(at('2026-10-25 02:30')).toBe(Date.UTC(2026, 9, 25, 0, 30)); // repeated hour: first occurrence
    expect(() => at('2026-03-29 02:30')).toThrow(/does not exist in Europe\/Berlin/);
  });

  it('reads PI system states as outages: NaN with the OPC UA status of the state', () => {
    const columns = parseHeader('tag,time,value,quality');
    expect(parseRow('FI-101,2026-01-01T00:00:00Z,Comm Fail,', 2, columns)).toMatchObject({ value: Number.NaN, quality: 0x80050000 });
    expect(parseRow('FI-101,2026-01-01T00:00:00Z,I/O Timeout,', 2, columns)).toMatchObject({ value: Number.NaN, quality: 0x800a0000 });
    expect(parseRow('FI-101,2026-01-01T00:00:00Z,shutdown,', 2, columns)).toMatchObject({ value: Number.NaN, quality: 0x808d0000 });
    expect(parseRow('FI-101,2026-01-01T00:00:00Z,,Comm Fail', 2, columns)).toMatchObject({ value: Number.NaN, quality: 0x80050000 });
    expect(parseRow('FI-101,2026-01-01T00:00:00Z,,bad', 2, columns)).toMatchObject({ value: Number.NaN, quality: 0x80000000 });
    expect(() => parseRow('FI-101,2026-01-01T00:00:00Z,,good', 2, columns)).toThrow(/not a number/);
  });

  it('honours RFC 4180 quoting', () => {
    expect(splitCsvLine('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
  });
});
