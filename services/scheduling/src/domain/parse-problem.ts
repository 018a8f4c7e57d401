import { problemSchema, type ProblemDocument } from './problem.schema';
import { invalidProblem, type FieldViolation } from './scheduling.errors';

function path(segments: readonly PropertyKey[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`)).join('') || '(document)';
}

function duplicates(ids: readonly string[], field: string, out: FieldViolation[]): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) out.push({ field: `${field}[${i}].id`, description: `duplicate id ${id}` });
    seen.add(id);
  });
  return seen;
}

/** Cross-references the schema cannot see: every id used exists, periods lie in the horizon, bounds are ordered. */
function crossReferenceViolations(p: ProblemDocument): FieldViolation[] {
  const v: FieldViolation[] = [];
  const materials = duplicates(p.materials.map((m) => m.id), 'materials', v);
  const units = duplicates(p.units.map((u) => u.id), 'units', v);
  duplicates(p.tanks.map((t) => t.id), 'tanks', v);
  duplicates(p.demands.map((d) => d.id), 'demands', v);
  const fuels = new Set(p.energy.fuels.map((f) => f.id));
  const gases = new Set(p.energy.byproductGases.map((g) => g.id));
  const material = (m: string, field: string): void => void (materials.has(m) || v.push({ field, description: `unknown material ${m}` }));
  const period = (t: number, field: string, allowEnd = false): void => void (t > p.horizon.periods - (allowEnd ? 0 : 1) && v.push({ field, description: `period ${t} lies beyond the horizon of ${p.horizon.periods} periods` }));
  p.units.forEach((u, i) => {
    const modes = duplicates(u.modes.map((m) => m.id), `units[${i}].modes`, v);
    u.modes.forEach((m, k) => {
      const f = `units[${i}].modes[${k}]`;
      m.inputs.forEach((x, j) => material(x.material, `${f}.inputs[${j}].material`));
      m.outputs.forEach((x, j) => material(x.material, `${f}.outputs[${j}].material`));
      if (m.minRateTPerH > m.maxRateTPerH) v.push({ field: `${f}.minRateTPerH`, description: `exceeds maxRateTPerH ${m.maxRateTPerH}` });
      Object.keys(m.utilities.fuelMWhPerT).forEach((fuel) => fuels.has(fuel) || v.push({ field: `${f}.utilities.fuelMWhPerT.${fuel}`, description: `unknown fuel ${fuel}` }));
      Object.keys(m.utilities.byproductGasMWhPerT).forEach((g) => gases.has(g) || v.push({ field: `${f}.utilities.byproductGasMWhPerT.${g}`, description: `unknown by-product gas ${g}` }));
    });
    u.changeovers.forEach((c, k) => {
      if (!modes.has(c.from)) v.push({ field: `units[${i}].changeovers[${k}].from`, description: `unknown mode ${c.from}` });
      if (!modes.has(c.to)) v.push({ field: `units[${i}].changeovers[${k}].to`, description: `unknown mode ${c.to}` });
    });
    if (u.initialMode && !modes.has(u.initialMode)) v.push({ field: `units[${i}].initialMode`, description: `unknown mode ${u.initialMode}` });
    u.balancing?.outputs.forEach((o, j) => material(o.material, `units[${i}].balancing.outputs[${j}].material`));
  });
  p.energy.power.periodPrices.forEach((x, i) => period(x.period, `energy.power.periodPrices[${i}].period`));
  p.energy.fuels.forEach((f, k) => f.periodPrices.forEach((x, i) => period(x.period, `energy.fuels[${k}].periodPrices[${i}].period`)));
  p.tanks.forEach((t, i) => {
    t.materials.forEach((m, j) => material(m, `tanks[${i}].materials[${j}]`));
    Object.keys(t.initialT).forEach((m) => t.materials.includes(m) || v.push({ field: `tanks[${i}].initialT.${m}`, description: `tank does not hold ${m}` }));
    const initial = Object.values(t.initialT).reduce((s, x) => s + x, 0);
    if (t.minT > t.maxT) v.push({ field: `tanks[${i}].minT`, description: `exceeds maxT ${t.maxT}` });
    if (initial > t.maxT) v.push({ field: `tanks[${i}].initialT`, description: `initial stock ${initial} t exceeds maxT ${t.maxT}` });
  });
  p.supplies.forEach((s, i) => {
    material(s.material, `supplies[${i}].material`);
    if (s.availableTPerPeriod && s.availableTPerPeriod.length !== p.horizon.periods) v.push({ field: `supplies[${i}].availableTPerPeriod`, description: `needs ${p.horizon.periods} entries` });
  });
  p.demands.forEach((d, i) => {
    material(d.material, `demands[${i}].material`);
    period(d.duePeriod, `demands[${i}].duePeriod`);
    period(d.releasePeriod, `demands[${i}].releasePeriod`);
    if (d.releasePeriod > d.duePeriod) v.push({ field: `demands[${i}].releasePeriod`, description: `after duePeriod ${d.duePeriod}` });
  });
  p.sales.forEach((s, i) => material(s.material, `sales[${i}].material`));
  const energyEquipment = new Set([...p.energy.boilers, ...p.energy.turbines, ...p.energy.letdowns].map((e) => e.id));
  p.unavailability.forEach((w, i) => {
    if (!units.has(w.unit) && !energyEquipment.has(w.unit)) v.push({ field: `unavailability[${i}].unit`, description: `unknown unit, boiler, turbine or letdown ${w.unit}` });
    if (w.toPeriod <= w.fromPeriod) v.push({ field: `unavailability[${i}].toPeriod`, description: 'must exceed fromPeriod' });
  });
  p.energy.boilers.forEach((b, i) => {
    b.fuels.forEach((f, j) => fuels.has(f) || gases.has(f) || v.push({ field: `energy.boilers[${i}].fuels[${j}]`, description: `unknown fuel or by-product gas ${f}` }));
    if (b.minSteamTPerH > b.maxSteamTPerH) v.push({ field: `energy.boilers[${i}].minSteamTPerH`, description: 'exceeds maxSteamTPerH' });
  });
  const down = { hp: 0, mp: 1, lp: 2 } as const;
  [...p.energy.turbines.map((t, i) => ({ t, f: `energy.turbines[${i}]` })), ...p.energy.letdowns.map((t, i) => ({ t, f: `energy.letdowns[${i}]` }))].forEach(({ t, f }) => {
    if (down[t.to] <= down[t.from]) v.push({ field: `${f}.to`, description: `steam must go down in pressure (${t.from} → ${t.to})` });
  });
  p.energy.power.timeOfUse.forEach((b, i) => b.toHour <= b.fromHour && v.push({ field: `energy.power.timeOfUse[${i}].toHour`, description: 'must exceed fromHour' }));
  p.published?.assignments.forEach((a, i) => {
    const unit = p.units.find((u) => u.id === a.unit);
    if (!unit) v.push({ field: `published.assignments[${i}].unit`, description: `unknown unit ${a.unit}` });
    else if (a.mode !== null && !unit.modes.some((m) => m.id === a.mode)) v.push({ field: `published.assignments[${i}].mode`, description: `unknown mode ${a.mode}` });
    period(a.period, `published.assignments[${i}].period`);
  });
  p.reconciledYields.forEach((y, i) => {
    const unit = p.units.find((u) => u.id === y.unit);
    if (!unit) v.push({ field: `reconciledYields[${i}].unit`, description: `unknown unit ${y.unit}` });
    else if (y.mode && !unit.modes.some((m) => m.id === y.mode)) v.push({ field: `reconciledYields[${i}].mode`, description: `unknown mode ${y.mode}` });
    y.outputs.forEach((o, j) => material(o.material, `reconciledYields[${i}].outputs[${j}].material`));
  });
  return v;
}

/** Parses and validates a problem document; every problem is reported with its field path. */
export function parseProblem(input: unknown): ProblemDocument {
  const parsed = problemSchema.safeParse(input);
  if (!parsed.success) throw invalidProblem(parsed.error.issues.map((i) => ({ field: path(i.path), description: i.message })));
  const violations = crossReferenceViolations(parsed.data);
  if (violations.length > 0) throw invalidProblem(violations);
  return parsed.data;
}
