import { bindingConstraints, type LinearModel, type SolveResult } from '@reflux/optimization';
import type { RowMeaning } from './formulation/context';
import type { Formulation } from './formulation/formulate';

export interface BindingLimit {
  readonly constraint: string;
  readonly kind: RowMeaning['kind'];
  readonly text: string;
  /** Change of the (weighted) objective per unit more of the limit, money per `unit` (negative: more of it saves money). */
  readonly shadowPricePerUnit: number;
  readonly unit: string;
  readonly activity: number;
  readonly bound: number;
  /** For a module capacity: money saved in that period by one more module running (−price × t per module). */
  readonly valueOfOneMoreModule?: number;
}

const reported = new Set<RowMeaning['kind']>(['module-capacity', 'lane-capacity', 'stock', 'energy', 'frozen']);

/**
 * Binding capacities, lanes, stock limits and commitments with their shadow prices, largest first,
 * from an LP solution with duals (for a MILP: the LP with the integers fixed at the solution).
 */
export function bindingLimits(f: Formulation, model: LinearModel, result: SolveResult, limit = 20): BindingLimit[] {
  const out: BindingLimit[] = [];
  for (const b of bindingConstraints(model, result, { minAbsPrice: 1e-7 })) {
    const meaning = f.rowMeanings[b.index];
    if (!meaning || !reported.has(meaning.kind)) continue;
    let perModule: number | undefined;
    if (meaning.kind === 'module-capacity') {
      const [, key] = b.name.split(':');
      const [siteId, processId] = key.split('/');
      const p = f.network.sites.find((s) => s.id === siteId)?.processes.find((x) => x.id === processId);
      if (p) perModule = round(-b.shadowPrice * p.modules.capacityTPerPeriod);
    }
    out.push({ constraint: b.name, kind: meaning.kind, text: meaning.text, shadowPricePerUnit: round(b.shadowPrice), unit: meaning.unit, activity: round(b.activity), bound: b.boundValue, ...(perModule !== undefined && { valueOfOneMoreModule: perModule }) });
    if (out.length >= limit) break;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Row penalties for the elastic explanation: physical laws stiff, targets and commitments soft, so the explanation names what cannot be met. */
export function explanationRowPenalties(f: Formulation): Float64Array {
  const n = f.model.rows.names.length;
  const out = new Float64Array(n).fill(100);
  f.rowMeanings.forEach((m, i) => {
    if (m && (m.kind === 'stock' || m.kind === 'frozen' || m.kind === 'order')) out[i] = 1;
  });
  return out;
}

/** The model with the integer columns fixed at a solution's values (its LP gives the MILP's shadow prices). */
export function fixIntegers(model: LinearModel, values: Float64Array): LinearModel {
  const lower = Float64Array.from(model.columns.lower);
  const upper = Float64Array.from(model.columns.upper);
  const integer = new Uint8Array(model.columns.integer.length);
  for (let j = 0; j < integer.length; j++)
    if (model.columns.integer[j]) {
      const v = Math.round(values[j]);
      lower[j] = v;
      upper[j] = v;
    }
  return { ...model, columns: { ...model.columns, lower, upper, integer } };
}
