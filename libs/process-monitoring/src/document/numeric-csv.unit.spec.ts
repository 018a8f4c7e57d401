import type { MonitoringError } from '../monitoring.error';
import { parseNumericCsv, selectColumns } from './numeric-csv';

function violations(text: string) {
  try {
    parseNumericCsv(text);
  } catch (error) {
    expect((error as MonitoringError).code).toBe('MONITORING.INVALID_DATA');
    return (error as MonitoringError).violations;
  }
  throw new Error('expected a rejection');
}

describe('parseNumericCsv', () => {
  it('reads a header of names and rows of numbers, skipping blank lines and CRLF endings', () => {
    expect(parseNumericCsv('TI-101,"FI 2"\r\n1.5,2e3\r\n\r\n-3,4\r\n')).toEqual({ variables: ['TI-101', 'FI 2'], rows: [[1.5, 2000], [-3, 4]] });
  });

  it('names the line, column and variable of every bad cell', () => {
    expect(violations('a,b,c\n1,2,3\n4,x,6\n7,8\n9,,1\n')).toEqual([
      { field: 'line 3, column 2 (b)', description: 'not a number: "x"' },
      { field: 'line 4', description: 'has 2 columns, the header has 3' },
      { field: 'line 5, column 2 (b)', description: 'empty cell' },
    ]);
  });

  it('rejects a missing header, duplicate names, and a file without data', () => {
    expect(violations('1,2\n3,4\n')[0]).toEqual({ field: 'line 1, column 1', description: '"1" is a number: the first row must name the variables' });
    expect(violations('a,a\n1,2\n')[0]!.description).toContain('duplicate');
    expect(violations('a,b\n')[0]!.description).toContain('no data rows');
    expect(violations('')[0]!.description).toContain('empty file');
  });

  it('selects the model’s columns by name in the model’s order and names a missing one', () => {
    const t = parseNumericCsv('b,time,a\n2,100,1\n');
    expect(selectColumns(t, ['a', 'b'])).toEqual([[1, 2]]);
    expect(() => selectColumns(t, ['a', 'z'])).toThrow(/"z" has no column/);
  });
});
