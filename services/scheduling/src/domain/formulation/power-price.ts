import type { ProblemDocument } from '../problem.schema';

/** Price of purchased power in each period, per MWh: the flat price, overridden by time-of-use bands (hour of day, local time, at the period's midpoint). */
export function powerPrices(problem: ProblemDocument): number[] {
  const { start, periods, periodHours, utcOffsetHours } = problem.horizon;
  const startHours = Date.parse(start) / 3_600_000 + utcOffsetHours;
  const { pricePerMWh, timeOfUse } = problem.energy.power;
  return Array.from({ length: periods }, (_, t) => {
    const hour = (((startHours + (t + 0.5) * periodHours) % 24) + 24) % 24;
    let price = pricePerMWh;
    for (const band of timeOfUse) if (hour >= band.fromHour && hour < band.toHour) price = band.pricePerMWh;
    return price;
  });
}
