import { terms, type TermList } from '@reflux/optimization';
import { steamLevelIds, type SteamLevel } from '../problem.schema';
import { periodLabel, type FormulationContext, type RowMeaning } from './formulation-context';
import { fuelPrice, powerPrices } from './power-price';
import type { ProductionVariables } from './production';

export interface EnergyVariables {
  readonly powerImport: number[];
  readonly powerExport: number[];
  readonly peakExcess?: number;
  /** Steam raised per boiler and period, t. */
  readonly boilerSteam: number[][];
  readonly turbineSteam: number[][];
  readonly letdownSteam: number[][];
  readonly fuelPurchase: number[][];
  readonly flare: number[][];
  readonly vent?: number[];
  readonly co2: number;
  readonly prices: number[];
}

/**
 * The site energy system per period: steam headers (hp, mp, lp) fed by boilers and passed down by
 * back-pressure turbines (which make power) and letdowns; power bought at time-of-use prices with a
 * contracted peak, made by turbines, exported; purchased fuels and by-product gases burnt in
 * boilers or flared; CO₂ priced and optionally capped. Utilities of the modes load all of it.
 */
export function formulateEnergy(ctx: FormulationContext, prod: ProductionVariables): EnergyVariables {
  const { problem, T, dt } = ctx;
  const e = problem.energy;
  const prices = powerPrices(problem);
  const steam = new Map<SteamLevel, TermList[]>(steamLevelIds.map((l) => [l, Array.from({ length: T }, () => terms())]));
  const power = Array.from({ length: T }, () => terms());
  const fuelRows = new Map(e.fuels.map((f) => [f.id, Array.from({ length: T }, () => terms())]));
  const gasRows = new Map(e.byproductGases.map((g) => [g.id, Array.from({ length: T }, () => terms())]));
  const co2 = terms();
  problem.units.forEach((unit, u) =>
    unit.modes.forEach((mode, m) => {
      // per mode, the rows its throughput loads and by how much (looked up once, not per period)
      const ut = mode.utilities;
      const steamLoads = steamLevelIds.filter((l) => ut.steamTPerT[l]).map((l) => ({ rows: steam.get(l)!, a: -ut.steamTPerT[l]! }));
      const fuelLoads = Object.entries(ut.fuelMWhPerT).map(([f, v]) => ({ rows: fuelRows.get(f)!, a: -v }));
      const gasLoads = Object.entries(ut.byproductGasMWhPerT).map(([g, v]) => ({ rows: gasRows.get(g)!, a: v }));
      const co2PerT = Object.entries(ut.byproductGasMWhPerT).reduce((s, [g, v]) => s + v * (e.byproductGases.find((x) => x.id === g)!.co2TPerMWh ?? 0), 0);
      for (let t = 0; t < T; t++) {
        const j = prod.x[u][m][t];
        for (const load of steamLoads) load.rows[t].add(j, load.a);
        if (ut.powerMWhPerT) power[t].add(j, -ut.powerMWhPerT);
        for (const load of fuelLoads) load.rows[t].add(j, load.a);
        for (const load of gasLoads) load.rows[t].add(j, load.a);
        if (co2PerT) co2.add(j, co2PerT);
      }
    }),
  );
  // a boiler, turbine or letdown listed in `unavailability` (a trip, maintenance) carries no steam then
  const off = (id: string, t: number): boolean => problem.unavailability.some((w) => w.unit === id && t >= w.fromPeriod && t < w.toPeriod);
  const boilerSteam = e.boilers.map((boiler) =>
    Array.from({ length: T }, (_, t) => {
      const s = ctx.col(`boiler:${boiler.id}:${periodLabel(t)}`, off(boiler.id, t) ? { upper: 0 } : { lower: boiler.minSteamTPerH * dt, upper: boiler.maxSteamTPerH * dt });
      steam.get(boiler.level)![t].add(s, 1);
      const fuel = terms().add(s, -boiler.steamEnthalpyMWhPerT / boiler.efficiency);
      for (const f of boiler.fuels) {
        const use = ctx.col(`burn:${boiler.id}:${f}:${periodLabel(t)}`);
        fuel.add(use, 1);
        if (fuelRows.has(f)) fuelRows.get(f)![t].add(use, -1);
        else gasRows.get(f)![t].add(use, -1);
      }
      ctx.row(`boiler-fuel:${boiler.id}:${periodLabel(t)}`, fuel, 0, 0);
      return s;
    }),
  );
  const passDown = (kind: 'turbine' | 'letdown', list: { id: string; from: SteamLevel; to: SteamLevel; maxSteamTPerH: number; powerMWhPerT?: number }[]): number[][] =>
    list.map((d) =>
      Array.from({ length: T }, (_, t) => {
        const j = ctx.col(`${kind}:${d.id}:${periodLabel(t)}`, { upper: off(d.id, t) ? 0 : d.maxSteamTPerH * dt });
        steam.get(d.from)![t].add(j, -1);
        steam.get(d.to)![t].add(j, 1);
        if (d.powerMWhPerT) power[t].add(j, d.powerMWhPerT);
        return j;
      }),
    );
  const turbineSteam = passDown('turbine', e.turbines);
  const letdownSteam = passDown('letdown', e.letdowns);
  const vent =
    e.lpVentCostPerT === undefined
      ? undefined
      : Array.from({ length: T }, (_, t) => {
          const j = ctx.col(`vent:lp:${periodLabel(t)}`);
          ctx.cost(j, e.lpVentCostPerT!, 'steamVenting');
          steam.get('lp')![t].add(j, -1);
          return j;
        });
  const p = e.power;
  const powerImport = Array.from({ length: T }, (_, t) => {
    const j = ctx.col(`power-import:${periodLabel(t)}`, { upper: p.maxImportMW === undefined ? Infinity : p.maxImportMW * dt });
    ctx.cost(j, prices[t], 'power');
    power[t].add(j, 1);
    if (p.gridCo2TPerMWh) co2.add(j, p.gridCo2TPerMWh);
    return j;
  });
  const powerExport = Array.from({ length: T }, (_, t) => {
    const j = ctx.col(`power-export:${periodLabel(t)}`, { upper: p.maxExportMW * dt });
    ctx.cost(j, -(p.exportPricePerMWh ?? 0), 'power');
    power[t].add(j, -1);
    return j;
  });
  let peakExcess: number | undefined;
  if (p.contractedPeakMW !== undefined) {
    peakExcess = ctx.col('power-peak-excess', { cost: p.peakExcessPricePerMW, category: 'powerPeak' });
    for (let t = 0; t < T; t++) {
      ctx.row(`power-peak:${periodLabel(t)}`, terms().add(powerImport[t], 1 / dt).add(peakExcess, -1), -Infinity, p.contractedPeakMW, peakMeaning(ctx, p.contractedPeakMW, t));
    }
  }
  for (let t = 0; t < T; t++) {
    ctx.row(`power:${periodLabel(t)}`, power[t], p.baseLoadMW * dt, p.baseLoadMW * dt, powerMeaning(ctx, t));
    for (const l of steamLevelIds) {
      const base = e.steamBaseLoadTPerH[l] * dt;
      if (steam.get(l)![t].indices.length === 0 && base === 0) continue;
      ctx.row(`steam:${l}:${periodLabel(t)}`, steam.get(l)![t], base, base, steamMeaning(ctx, l, t));
    }
  }
  const fuelPurchase = e.fuels.map((f) =>
    Array.from({ length: T }, (_, t) => {
      const j = ctx.col(`fuel:${f.id}:${periodLabel(t)}`, { upper: f.maxMWhPerPeriod ?? Infinity });
      ctx.cost(j, fuelPrice(f, t), 'fuel');
      if (f.co2TPerMWh) co2.add(j, f.co2TPerMWh);
      ctx.row(`fuel-balance:${f.id}:${periodLabel(t)}`, fuelRows.get(f.id)![t].add(j, 1), 0, 0, fuelMeaning(ctx, f.id, t));
      return j;
    }),
  );
  const flare = e.byproductGases.map((g) =>
    Array.from({ length: T }, (_, t) => {
      const j = ctx.col(`flare:${g.id}:${periodLabel(t)}`, { upper: g.maxFlareMWhPerPeriod ?? Infinity });
      ctx.cost(j, g.flareCostPerMWh, 'flaring');
      ctx.row(`gas-balance:${g.id}:${periodLabel(t)}`, gasRows.get(g.id)![t].add(j, -1), 0, 0, gasMeaning(ctx, g.id, t));
      return j;
    }),
  );
  const co2Col = ctx.col('co2-emitted', { cost: e.co2.pricePerT, category: 'co2' });
  ctx.row('co2', co2.add(co2Col, -1), 0, 0);
  if (e.co2.capT !== undefined) ctx.row('co2-cap', terms().add(co2Col, 1), -Infinity, e.co2.capT, co2CapMeaning(e.co2.capT));
  return { powerImport, powerExport, peakExcess, boilerSteam, turbineSteam, letdownSteam, fuelPurchase, flare, vent, co2: co2Col, prices };
}

// Row meanings are made by module-level factories, so each closure retains only its own arguments:
// a closure created inside the formulation functions would keep their whole scope (every row's term
// lists) alive for as long as the formulation is, which made the build garbage-collector bound.
const peakMeaning = (ctx: FormulationContext, peakMW: number, t: number) => (): RowMeaning => ({ text: `contracted peak ${peakMW} MW in period ${ctx.timeOf(t)}`, unit: 'MW' });
const powerMeaning = (ctx: FormulationContext, t: number) => (): RowMeaning => ({ text: `electricity demand in period ${ctx.timeOf(t)}`, unit: 'MWh' });
const steamMeaning = (ctx: FormulationContext, level: SteamLevel, t: number) => (): RowMeaning => ({ text: `${level.toUpperCase()} steam demand in period ${ctx.timeOf(t)}`, unit: 't' });
const fuelMeaning = (ctx: FormulationContext, fuel: string, t: number) => (): RowMeaning => ({ text: `${fuel} needed in period ${ctx.timeOf(t)}`, unit: 'MWh' });
const gasMeaning = (ctx: FormulationContext, gas: string, t: number) => (): RowMeaning => ({ text: `${gas} to burn or flare in period ${ctx.timeOf(t)}`, unit: 'MWh' });
const co2CapMeaning = (capT: number) => (): RowMeaning => ({ text: `CO₂ cap of ${capT} t over the horizon`, unit: 't CO₂' });
