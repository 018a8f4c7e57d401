import { createHash } from 'node:crypto';
import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import { parseInstant, toTimestamp } from '../io/time';

interface PriceFileRange {
  from?: unknown;
  to?: unknown;
  pricePerMWh?: unknown;
  fuel?: unknown;
}

/**
 * A SetEnergyPrices request from a prices file: `{ "requestId"?, "power": [{ "from", "to",
 * "pricePerMWh" }], "fuels": [{ "fuel", "from", "to", "pricePerMWh" }], "co2PricePerT"? }` (times
 * ISO 8601). Without a requestId the file's content hash is the request id, so sending the same
 * file again is a replay. Throws naming every bad entry.
 */
export function energyPricesRequest(plantId: string, text: string): v1.SetEnergyPricesRequest {
  const doc = JSON.parse(text) as { requestId?: unknown; power?: PriceFileRange[]; fuels?: PriceFileRange[]; co2PricePerT?: unknown };
  const problems: string[] = [];
  const range = (r: PriceFileRange, at: string) => {
    const time = (x: unknown, name: string) => {
      try {
        return toTimestamp(parseInstant(String(x)));
      } catch {
        problems.push(`${at}.${name}: not a time (${String(x)})`);
        return null;
      }
    };
    const startTime = time(r.from, 'from');
    const endTime = time(r.to, 'to');
    if (typeof r.pricePerMWh !== 'number') problems.push(`${at}.pricePerMWh: a number is required`);
    return { startTime, endTime, pricePerMwh: Number(r.pricePerMWh) };
  };
  const powerPrices = (doc.power ?? []).map((r, i) => range(r, `power[${i}]`));
  const fuelPrices = (doc.fuels ?? []).map((r, i) => ({ fuelId: String(r.fuel ?? ''), ...range(r, `fuels[${i}]`) }));
  if (doc.co2PricePerT !== undefined && typeof doc.co2PricePerT !== 'number') problems.push('co2PricePerT: a number is required');
  if (problems.length > 0) throw new Error(`invalid prices file: ${problems.join('; ')}`);
  const requestId = typeof doc.requestId === 'string' && doc.requestId !== '' ? doc.requestId : `prices-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  return { plantId, requestId, powerPrices, fuelPrices, ...(typeof doc.co2PricePerT === 'number' && { co2PricePerT: doc.co2PricePerT }) };
}
