import type { NetworkInput } from '../domain/network.schema';

/** Park–Miller generator: the same seed gives the same network on every machine. */
function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

export interface NetworkSize {
  readonly sites: number;
  readonly products: number;
  readonly customers: number;
  readonly periods: number;
  readonly formulation: 'lp' | 'milp';
  readonly seed?: number;
}

/**
 * A deterministic network of `sites` (one in five central, the rest modular), `products` made from
 * a raw material and (half of them) a hazardous intermediate that may not go by road, `customers`
 * each served by four sites, three orders per customer, energy from the grid at time-of-use prices
 * and from local PV; for the benchmark and load tests.
 */
export function generateNetwork(size: NetworkSize): NetworkInput {
  const r = rng(size.seed ?? 7);
  const { sites: S, products: P, customers: C, periods: T } = size;
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)];
  const products = Array.from({ length: P }, (_, p) => `prod-${p}`);
  const xy = () => [r() * 1000, r() * 1000] as const;
  const siteXY = Array.from({ length: S }, xy);
  const sites = siteXY.map((_, s) => {
    const central = s % 5 === 0;
    const makes = products.filter(() => r() < (central ? 0.6 : 0.3));
    if (makes.length === 0) makes.push(pick(products));
    const makesIntermediate = central || r() < 0.5;
    return {
      id: `site-${s}`,
      kind: central ? ('central' as const) : ('modular' as const),
      processes: [
        ...makes.map((m) => ({
          id: `make-${m}`,
          output: m,
          inputs: [{ material: 'raw', tPerT: 1 }, ...(Number(m.slice(5)) % 2 === 0 ? [{ material: 'inter', tPerT: 0.5 }] : [])],
          variableCostPerT: 20 + r() * 30,
          energyMWhPerT: { electricity: 0.2 + r() * 0.5, steam: 0, hydrogen: 0 },
          modules: { installed: central ? 4 + Math.floor(r() * 4) : 1 + Math.floor(r() * 4), capacityTPerPeriod: central ? 40 : 8 + Math.floor(r() * 8), startupCost: central ? 800 : 150, minOnPeriods: central ? 3 : 2 },
        })),
        ...(makesIntermediate ? [{ id: 'make-inter', output: 'inter', inputs: [{ material: 'raw', tPerT: 1.1 }], variableCostPerT: central ? 10 : 25, energyMWhPerT: { electricity: 0.3, steam: 0, hydrogen: 0 }, modules: { installed: central ? 4 : 2, capacityTPerPeriod: central ? 60 : 10, startupCost: 100, minOnPeriods: 1 } }] : []),
      ],
      energy: [
        { id: 'grid', carrier: 'electricity' as const, pricePerMWh: Array.from({ length: T }, (_, t) => (t % 7 < 5 ? 90 : 60)), co2TPerMWh: 0.35 },
        { id: 'pv', carrier: 'electricity' as const, pricePerMWh: 20, co2TPerMWh: 0.02, maxMWhPerPeriod: Array.from({ length: T }, () => Math.round(r() * (central ? 80 : 15))) },
      ],
      inventory: [...makes.map((m) => ({ material: m, maxT: central ? 400 : 80, holdingCostPerTPerPeriod: 0.5 })), { material: 'inter', maxT: central ? 300 : 40, holdingCostPerTPerPeriod: 1 }],
      purchases: [{ material: 'raw', costPerT: 30 + r() * 20 }],
    };
  });
  const customers = Array.from({ length: C }, (_, c) => ({ id: `cust-${c}`, xy: xy() }));
  const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const lanes: NonNullable<NetworkInput['lanes']>[number][] = [];
  customers.forEach((c) => {
    const nearest = siteXY.map((p, s) => ({ s, d: dist(p, c.xy) })).sort((a, b) => a.d - b.d).slice(0, 4);
    for (const { s, d } of nearest) {
      const rail = d > 400;
      lanes.push({ id: `site-${s}.to.${c.id}`, from: `site-${s}`, to: c.id, mode: rail ? 'rail' : 'road', distanceKm: Math.round(d), leadTimePeriods: Math.min(3, Math.floor(d / 300)), costPerT: 2 + d * (rail ? 0.02 : 0.05), co2TPerTKm: rail ? 0.00003 : 0.0001, capacityTPerPeriod: rail ? 400 : 120 });
    }
  });
  const centrals = sites.filter((s) => s.kind === 'central');
  sites.forEach((s, i) => {
    if (s.kind === 'central') return;
    const hub = centrals[i % centrals.length];
    const d = Math.round(dist(siteXY[i], siteXY[Number(hub.id.slice(5))]));
    lanes.push({ id: `${hub.id}.to.${s.id}.road`, from: hub.id, to: s.id, mode: 'road', distanceKm: d, leadTimePeriods: 1, costPerT: 1 + d * 0.04, co2TPerTKm: 0.0001, capacityTPerPeriod: 60 });
    lanes.push({ id: `${hub.id}.to.${s.id}.rail`, from: hub.id, to: s.id, mode: 'rail', distanceKm: d, leadTimePeriods: 2, costPerT: 3 + d * 0.02, co2TPerTKm: 0.00003, capacityTPerPeriod: 200 });
  });
  const orders = customers.flatMap((c, ci) =>
    [0, 1, 2].map((k) => ({
      id: `ord-${ci}-${k}`,
      customer: c.id,
      product: pick(products),
      quantityT: 10 + Math.round(r() * 40),
      duePeriod: Math.min(T - 1, 2 + Math.floor(r() * (T - 2))),
      priority: 1 + Math.floor(r() * 3),
      latenessPenaltyPerTPerPeriod: 15,
      shortfallPenaltyPerT: 400,
    })),
  );
  return {
    name: `generated ${S}x${P}x${C}x${T}`,
    horizon: { periods: T, periodHours: 24 },
    co2PricePerT: 80,
    formulation: size.formulation,
    materials: [{ id: 'raw', kind: 'raw' }, { id: 'inter', kind: 'intermediate', hazard: { unClass: '2.3', packingGroup: 'I', forbiddenModes: ['road'], maxTPerLanePerPeriod: 150, riskCostPerTKm: 0.01 } }, ...products.map((id) => ({ id, kind: 'product' as const }))],
    sites,
    customers: customers.map((c) => ({ id: c.id })),
    lanes,
    orders,
  };
}
