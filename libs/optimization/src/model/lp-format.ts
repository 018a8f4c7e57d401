import type { LinearModel } from './linear-model';

const reserved = /^(minimi[sz]e|maximi[sz]e|min|max|subject|to|st|s\.t\.|such|that|bounds?|generals?|integers?|binar(y|ies)|semi|sos|end|free|infinity|inf)$/i;

/**
 * Maps model names to CPLEX LP names: letters, digits, `_` and `.` only, not starting with a digit
 * or `.`, not a keyword, unique. The mapping is stable (same model, same text).
 */
export function lpNames(names: readonly string[], prefix: string): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    let n = name.replace(/[^A-Za-z0-9_.]/g, '_');
    if (n === '' || /^[0-9.]/.test(n) || reserved.test(n)) n = `${prefix}_${n}`;
    if (n.length > 240) n = `${n.slice(0, 230)}_${i}`;
    let candidate = n;
    for (let k = 2; used.has(candidate); k++) candidate = `${n}_${k}`;
    used.add(candidate);
    return candidate;
  });
}

function unique(used: Set<string>, base: string): string {
  let candidate = base;
  for (let k = 2; used.has(candidate); k++) candidate = `${base}_${k}`;
  used.add(candidate);
  return candidate;
}

function num(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

function linear(out: string[], head: string, indices: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, names: readonly string[]): void {
  let line = head;
  let count = 0;
  for (let k = from; k < to; k++) {
    const v = values[k];
    if (v === 0) continue;
    line += ` ${v < 0 ? '-' : '+'} ${num(Math.abs(v))} ${names[indices[k]]}`;
    if (++count % 8 === 0) {
      out.push(line);
      line = '   ';
    }
  }
  if (line.trim() !== '') out.push(line);
}

/**
 * Writes the model in CPLEX LP format, readable by CPLEX, HiGHS, CBC, Gurobi and GLPK. A ranged row
 * becomes two rows (`name.lo`, `name.hi`); the objective offset becomes a column fixed at 1
 * (`objective_offset`), since not every reader accepts a constant in the objective.
 */
export function toLpFormat(model: LinearModel): string {
  const colNames = lpNames(model.columns.names, 'x');
  const rowNames = lpNames(model.rows.names, 'c');
  const out: string[] = [`\\ Model ${model.name.replace(/[\r\n]/g, ' ')}`, `\\ ${model.rows.names.length} rows, ${model.columns.names.length} columns, ${model.matrix.values.length} nonzeros`];
  out.push(model.sense === 'minimize' ? 'Minimize' : 'Maximize');
  const costIdx: number[] = [];
  const costVal: number[] = [];
  model.columns.cost.forEach((c, j) => {
    if (c !== 0) {
      costIdx.push(j);
      costVal.push(c);
    }
  });
  const offsetName = model.objectiveOffset !== 0 ? lpNames([...colNames, 'objective_offset'], 'x').at(-1)! : undefined;
  const allNames = offsetName ? [...colNames, offsetName] : colNames;
  if (offsetName) {
    costIdx.push(colNames.length);
    costVal.push(model.objectiveOffset);
  }
  if (costIdx.length === 0 && colNames.length > 0) {
    costIdx.push(0);
    costVal.push(0);
    out.push(` obj: 0 ${colNames[0]}`);
  } else linear(out, ' obj:', costIdx, costVal, 0, costIdx.length, allNames);
  out.push('Subject To');
  const { starts, indices, values } = model.matrix;
  const usedRowNames = new Set(rowNames);
  for (let i = 0; i < rowNames.length; i++) {
    const lo = model.rows.lower[i];
    const hi = model.rows.upper[i];
    const write = (name: string, sense: string, rhs: number): void => {
      const lines: string[] = [];
      linear(lines, ` ${name}:`, indices, values, starts[i], starts[i + 1], colNames);
      if (lines.length === 1 && lines[0] === ` ${name}:`) lines[0] += ` 0 ${colNames[0]}`;
      lines[lines.length - 1] += ` ${sense} ${num(rhs)}`;
      out.push(...lines);
    };
    if (lo === hi) write(rowNames[i], '=', lo);
    else if (lo > -Infinity && hi < Infinity) {
      write(unique(usedRowNames, `${rowNames[i]}.lo`), '>=', lo);
      write(unique(usedRowNames, `${rowNames[i]}.hi`), '<=', hi);
    } else if (lo > -Infinity) write(rowNames[i], '>=', lo);
    else if (hi < Infinity) write(rowNames[i], '<=', hi);
  }
  out.push('Bounds');
  for (let j = 0; j < colNames.length; j++) {
    const lo = model.columns.lower[j];
    const hi = model.columns.upper[j];
    const n = colNames[j];
    if (lo === hi) out.push(` ${n} = ${num(lo)}`);
    else if (lo === -Infinity && hi === Infinity) out.push(` ${n} free`);
    else if (lo === 0 && hi === Infinity) continue;
    else out.push(` ${lo === -Infinity ? '-inf' : num(lo)} <= ${n} <= ${hi === Infinity ? '+inf' : num(hi)}`);
  }
  if (offsetName) out.push(` ${offsetName} = 1`);
  const generals = colNames.filter((_, j) => model.columns.integer[j]);
  if (generals.length > 0) {
    out.push('Generals');
    for (let k = 0; k < generals.length; k += 10) out.push(` ${generals.slice(k, k + 10).join(' ')}`);
  }
  out.push('End', '');
  return out.join('\n');
}
