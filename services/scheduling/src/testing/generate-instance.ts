import type { ProblemInput } from '../domain/problem.schema';

function seeded(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

export interface InstanceSpec {
  readonly products: number;
  readonly units: number;
  readonly periods: number;
  readonly formulation: 'lp' | 'milp';
  readonly seed?: number;
}

/**
 * A deterministic planning instance of a multi-product plant: each product can be made on about
 * 3.5 of the units (so a unit has ~3.5 × products / units modes), two feeds, one tank per product,
 * orders spread over the horizon, steam/power/fuel-gas utilities per mode, two boilers, a
 * back-pressure turbine, letdowns, time-of-use power with a contracted peak, by-product gas and a
 * CO₂ price. Same spec and seed, same document.
 */
export function generateInstance(spec: InstanceSpec): ProblemInput {
  const r = seeded(spec.seed ?? 20261205 + spec.products * 1000 + spec.units * 10 + spec.periods);
  const pick = (lo: number, hi: number): number => lo + (hi - lo) * r();
  const whole = (lo: number, hi: number): number => Math.round(pick(lo, hi));
  const { products, units, periods } = spec;
  const productIds = Array.from({ length: products }, (_, p) => `P${String(p + 1).padStart(2, '0')}`);
  // product p runs on 3 or 4 (alternately) distinct units spread over the plant
  const madeOn = productIds.map((_, p) => {
    const reps = Math.min(units, 3 + (p % 2));
    const step = Math.max(1, Math.floor(units / reps));
    return new Set(Array.from({ length: reps }, (_, k) => (p + k * step) % units));
  });
  const unitDocs = Array.from({ length: units }, (_, u) => {
    const made = productIds.filter((_, p) => madeOn[p].has(u));
    const modes = made.map((p) => {
      const maxRate = whole(20, 60);
      return {
        id: p,
        inputs: [{ material: r() < 0.5 ? 'feed-a' : 'feed-b', fraction: 1 }],
        outputs: [{ material: p, yield: Number(pick(0.82, 0.95).toFixed(3)) }],
        minRateTPerH: spec.formulation === 'milp' ? Math.round(maxRate * 0.4) : 0,
        maxRateTPerH: maxRate,
        minRunPeriods: spec.formulation === 'milp' ? whole(2, 4) : 1,
        startupCost: whole(800, 2500),
        variableCostPerT: Number(pick(2, 8).toFixed(2)),
        utilities: {
          steamTPerT: { mp: Number(pick(0.1, 0.4).toFixed(3)), lp: Number(pick(0.05, 0.2).toFixed(3)) },
          powerMWhPerT: Number(pick(0.05, 0.25).toFixed(3)),
          coolingWaterM3PerT: whole(2, 10),
          byproductGasMWhPerT: { offgas: Number(pick(0.02, 0.1).toFixed(3)) },
        },
      };
    });
    const changeovers = modes.flatMap((a) => modes.filter((b) => b !== a).map((b) => ({ from: a.id, to: b.id, periods: r() < 0.3 ? 1 : 0, cost: whole(300, 3000) })));
    return { id: `U${u + 1}`, modes, changeovers, initialMode: modes[0].id, initialRunPeriods: 4 };
  });
  const capacityPerProduct = (p: string): number => unitDocs.reduce((s, u) => s + (u.modes.find((m) => m.id === p)?.maxRateTPerH ?? 0) / u.modes.length, 0);
  const demands = productIds.flatMap((p) => {
    const orders = Math.max(1, Math.round(periods / 24));
    return Array.from({ length: orders }, (_, k) => ({
      id: `${p}-order-${k + 1}`,
      material: p,
      quantityT: Math.round(capacityPerProduct(p) * 0.45 * (periods / orders) * pick(0.7, 1.1)),
      duePeriod: Math.min(periods - 1, Math.round(((k + 1) * periods) / orders) - 1 - whole(0, 3)),
      latenessPenaltyPerTPerPeriod: whole(5, 20),
      shortfallPenaltyPerT: whole(400, 900),
    }));
  });
  return {
    plant: `generated-${products}x${units}x${periods}`,
    horizon: { start: '2026-12-07T00:00:00Z', periods, periodHours: 1, utcOffsetHours: 1 },
    formulation: spec.formulation,
    materials: [{ id: 'feed-a' }, { id: 'feed-b' }, ...productIds.map((id) => ({ id }))],
    units: unitDocs,
    tanks: productIds.map((p) => ({ id: `TK-${p}`, materials: [p], maxT: 4000, initialT: { [p]: whole(100, 600) }, holdingCostPerTPerPeriod: 0.05 })),
    supplies: [
      { id: 'feed-a-contract', material: 'feed-a', pricePerT: 420, maxTPerPeriod: 2000 },
      { id: 'feed-b-contract', material: 'feed-b', pricePerT: 380, maxTPerPeriod: 2000 },
    ],
    demands,
    energy: {
      power: { pricePerMWh: 70, timeOfUse: [{ fromHour: 8, toHour: 20, pricePerMWh: 160 }], contractedPeakMW: 25, peakExcessPricePerMW: 9000, maxImportMW: 80, exportPricePerMWh: 40, maxExportMW: 10, gridCo2TPerMWh: 0.35, baseLoadMW: 6 },
      fuels: [{ id: 'natural-gas', pricePerMWh: 38, co2TPerMWh: 0.202 }],
      byproductGases: [{ id: 'offgas', co2TPerMWh: 0.25, flareCostPerMWh: 2 }],
      boilers: [
        { id: 'B1', maxSteamTPerH: 120, efficiency: 0.9, fuels: ['offgas', 'natural-gas'] },
        { id: 'B2', maxSteamTPerH: 120, efficiency: 0.86, fuels: ['natural-gas'] },
      ],
      turbines: [{ id: 'TG1', from: 'hp', to: 'mp', maxSteamTPerH: 150, powerMWhPerT: 0.075 }],
      letdowns: [
        { id: 'PV-HM', from: 'hp', to: 'mp', maxSteamTPerH: 200 },
        { id: 'PV-ML', from: 'mp', to: 'lp', maxSteamTPerH: 200 },
      ],
      steamBaseLoadTPerH: { hp: 0, mp: 10, lp: 8 },
      lpVentCostPerT: 3,
      coolingWaterCostPerM3: 0.02,
      co2: { pricePerT: 85 },
    },
    solve: { timeLimitSeconds: spec.formulation === 'lp' ? 300 : 60, mipGapPercent: 1, backend: 'auto' },
  };
}
