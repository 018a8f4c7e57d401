import { type FieldViolation, MonitoringError, MonitoringErrorCode } from '../monitoring.error';

/** A table of numbers with named columns, rows in file order. */
export interface NumericTable {
  readonly variables: string[];
  readonly rows: number[][];
}

function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

/**
 * Parses a CSV of a header row of variable names, then one row of numbers per sample (blank lines
 * ignored). Every problem is reported as `line L, column C (NAME)`, all of them at once.
 */
export function parseNumericCsv(text: string, maxViolations = 50): NumericTable {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const fail = (v: FieldViolation[]) => new MonitoringError(MonitoringErrorCode.invalidData, 'invalid CSV', v);
  if (headerIndex < 0) throw fail([{ field: 'line 1', description: 'empty file: expected a header row of variable names' }]);
  const variables = cells(lines[headerIndex]!);
  const v: FieldViolation[] = [];
  const seen = new Set<string>();
  variables.forEach((name, j) => {
    const at = `line ${headerIndex + 1}, column ${j + 1}`;
    if (name === '') v.push({ field: at, description: 'empty variable name' });
    else if (seen.has(name)) v.push({ field: at, description: `duplicate variable name "${name}"` });
    else if (name !== '' && Number.isFinite(Number(name))) v.push({ field: at, description: `"${name}" is a number: the first row must name the variables` });
    seen.add(name);
  });
  const rows: number[][] = [];
  for (let i = headerIndex + 1; i < lines.length && v.length < maxViolations; i++) {
    if (lines[i]!.trim() === '') continue;
    const row = cells(lines[i]!);
    if (row.length !== variables.length) {
      v.push({ field: `line ${i + 1}`, description: `has ${row.length} columns, the header has ${variables.length}` });
      continue;
    }
    const values = row.map((c, j) => {
      const x = c === '' ? Number.NaN : Number(c);
      if (!Number.isFinite(x)) v.push({ field: `line ${i + 1}, column ${j + 1} (${variables[j]})`, description: c === '' ? 'empty cell' : `not a number: "${c}"` });
      return x;
    });
    rows.push(values);
  }
  if (v.length > 0) throw fail(v);
  if (rows.length === 0) throw fail([{ field: `line ${headerIndex + 2}`, description: 'no data rows after the header' }]);
  return { variables, rows };
}

/** The table's columns in the order of `variables` (by name; other columns are ignored). */
export function selectColumns(table: NumericTable, variables: readonly string[]): number[][] {
  const index = variables.map((name) => table.variables.indexOf(name));
  const missing = variables.filter((_, k) => index[k]! < 0);
  if (missing.length > 0) {
    throw new MonitoringError(
      MonitoringErrorCode.invalidData,
      'invalid CSV',
      missing.map((name) => ({ field: 'line 1', description: `the model's variable "${name}" has no column` })),
    );
  }
  return table.rows.map((r) => index.map((j) => r[j]!));
}
