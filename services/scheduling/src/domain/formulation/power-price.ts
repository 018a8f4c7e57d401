import type { ProblemDocument } from '../problem.schema';

type Fuel = ProblemDocument['energy']['fuels'][number];

/**
 * Price of purchased power in each period, per MWh: the flat price, overridden by time-of-use bands
 * (hour of day, local time, at the period's midpoint), overridden by a price given for the period.
 */
export function powerPrices(problem: ProblemDocument): number[] {
  const { start, periods, periodHours, utcOffsetHours } = problem.horizon;
  const startHours = Date.parse(start) / 3_600_000 + utcOffsetHours;
  const { pricePerMWh, timeOfUse, periodPrices } = problem.energy.power;
  const given = new Map(periodPrices.map((p) => [p.period, p.pricePerMWh]));
  return Array.from({ length: periods }, (_, t) => {
    const set = given.get(t);
    if (set !== undefined) return set;
    const hour = (((startHours + (t + 0.5) * periodHours) % 24) + 24) % 24;
    let price = pricePerMWh;
    for (const band of timeOfUse) if (hour >= band.fromHour && hour < band.toHour) price = band.pricePerMWh;
    return price;
  });
}

/** Price of a purchased fuel in period `t`, per MWh: the one given for the period, else the fuel's price. */
export function fuelPrice(fuel: Fuel, t: number): number {
  return fuel.periodPrices.find((p) => p.period === t)?.pricePerMWh ?? fuel.pricePerMWh;
}
