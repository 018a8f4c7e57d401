import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import type { EnergyPrices, PricedRange } from '../../domain/energy-prices';
import type { FieldViolation } from '../../domain/scheduling.errors';
import { timestampToDate } from './scheduling.grpc-mapper';

/** The prices of a SetEnergyPrices request; missing or malformed times are named field by field. */
export function energyPricesOf(request: v1.SetEnergyPricesRequest, violations: FieldViolation[]): EnergyPrices {
  const range = (r: { startTime?: v1.PriceRange['startTime']; endTime?: v1.PriceRange['endTime']; pricePerMwh: number }, field: string): PricedRange => {
    const from = r.startTime ? timestampToDate(r.startTime) : undefined;
    const to = r.endTime ? timestampToDate(r.endTime) : undefined;
    if (!from) violations.push({ field: `${field}.start_time`, description: 'is required' });
    if (!to) violations.push({ field: `${field}.end_time`, description: 'is required' });
    return { from: (from ?? new Date(0)).toISOString(), to: (to ?? new Date(0)).toISOString(), pricePerMWh: r.pricePerMwh };
  };
  return {
    power: request.powerPrices.map((r, i) => range(r, `power_prices[${i}]`)),
    fuels: request.fuelPrices.map((r, i) => ({ fuel: r.fuelId, ...range(r, `fuel_prices[${i}]`) })),
    ...(request.co2PricePerT !== undefined && request.co2PricePerT !== null && { co2PricePerT: request.co2PricePerT }),
  };
}
