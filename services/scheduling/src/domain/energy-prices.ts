import type { ProblemInput } from './problem.schema';
import type { FieldViolation } from './scheduling.errors';

/** A price over a time range [from, to), per MWh (purchased power or a purchased fuel). */
export interface PricedRange {
  readonly from: string;
  readonly to: string;
  readonly pricePerMWh: number;
}

/** Energy prices set for a plant (SetEnergyPrices); they replace the production model's where given. */
export interface EnergyPrices {
  /** Purchased power, currency per MWh, by time range (time of use). */
  readonly power: readonly PricedRange[];
  /** Purchased fuels (ids of the model's `energy.fuels`), currency per MWh, by time range. */
  readonly fuels: readonly (PricedRange & { readonly fuel: string })[];
  /** CO₂ price, currency per t; absent: the model's. */
  readonly co2PricePerT?: number;
}

/** Field-level problems of a price update against the plant's model (proto field names). */
export function energyPriceViolations(model: ProblemInput, prices: EnergyPrices): FieldViolation[] {
  const v: FieldViolation[] = [];
  const fuels = new Set((model.energy.fuels ?? []).map((f) => f.id));
  const range = (r: PricedRange, field: string) => {
    if (!Number.isFinite(r.pricePerMWh)) v.push({ field: `${field}.price_per_mwh`, description: 'must be a finite number' });
    if (!(Date.parse(r.to) > Date.parse(r.from))) v.push({ field: `${field}.end_time`, description: 'must be after start_time' });
  };
  prices.power.forEach((r, i) => range(r, `power_prices[${i}]`));
  prices.fuels.forEach((r, i) => {
    range(r, `fuel_prices[${i}]`);
    if (!fuels.has(r.fuel)) v.push({ field: `fuel_prices[${i}].fuel_id`, description: `unknown fuel ${r.fuel}; the model buys: ${[...fuels].join(', ') || 'none'}` });
  });
  if (prices.co2PricePerT !== undefined && !(prices.co2PricePerT >= 0 && Number.isFinite(prices.co2PricePerT))) v.push({ field: 'co2_price_per_t', description: 'must be ≥ 0' });
  if (prices.power.length === 0 && prices.fuels.length === 0 && prices.co2PricePerT === undefined) v.push({ field: 'power_prices', description: 'no price given' });
  return v;
}

/** Per period of the horizon, the price of the last range covering the period's midpoint. */
function periodPrices(ranges: readonly PricedRange[], startMs: number, dtMs: number, periods: number): { period: number; pricePerMWh: number }[] {
  const out: { period: number; pricePerMWh: number }[] = [];
  for (let t = 0; t < periods; t++) {
    const mid = startMs + (t + 0.5) * dtMs;
    const covering = ranges.filter((r) => Date.parse(r.from) <= mid && mid < Date.parse(r.to));
    if (covering.length > 0) out.push({ period: t, pricePerMWh: covering[covering.length - 1].pricePerMWh });
  }
  return out;
}

/** The model's energy system with the prices set: per-period power and fuel prices, the CO₂ price. */
export function withEnergyPrices(energy: ProblemInput['energy'], prices: EnergyPrices, startMs: number, dtMs: number, periods: number): ProblemInput['energy'] {
  return {
    ...energy,
    power: { ...energy.power, periodPrices: periodPrices(prices.power, startMs, dtMs, periods) },
    fuels: (energy.fuels ?? []).map((f) => ({ ...f, periodPrices: periodPrices(prices.fuels.filter((r) => r.fuel === f.id), startMs, dtMs, periods) })),
    ...(prices.co2PricePerT !== undefined && { co2: { ...energy.co2, pricePerT: prices.co2PricePerT } }),
  };
}
