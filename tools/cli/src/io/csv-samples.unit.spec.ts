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
    expect(() => parseRow('FI-101,yesterday,1', 7, columns)).toThrow(new CsvError(7, 'not a time: "yesterday" (ISO 8601 or epoch ms)'));
    expect(() => parseRow('FI-101,0,abc', 8, columns)).toThrow(/line 8: not a number/);
  });

  it('honours RFC 4180 quoting', () => {
    expect(splitCsvLine('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
  });
});
