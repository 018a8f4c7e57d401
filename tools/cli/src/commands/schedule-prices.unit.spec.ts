import { energyPricesRequest } from './schedule-prices';

describe('reflux schedule prices: the prices file', () => {
  it('becomes a SetEnergyPrices request whose default request id is the content hash (a resent file is a replay)', () => {
    const text = JSON.stringify({ power: [{ from: '2026-12-07T08:00:00Z', to: '2026-12-07T20:00:00Z', pricePerMWh: 158 }], fuels: [{ fuel: 'natural-gas', from: '2026-12-07T00:00:00Z', to: '2026-12-08T00:00:00Z', pricePerMWh: 35 }], co2PricePerT: 85 });
    const r = energyPricesRequest('demo-petrochemical-site', text);
    expect(r).toMatchObject({ plantId: 'demo-petrochemical-site', co2PricePerT: 85, powerPrices: [{ startTime: { seconds: String(Date.parse('2026-12-07T08:00:00Z') / 1000), nanos: 0 }, pricePerMwh: 158 }], fuelPrices: [{ fuelId: 'natural-gas', pricePerMwh: 35 }] });
    expect(r.requestId).toMatch(/^prices-[0-9a-f]{32}$/);
    expect(energyPricesRequest('demo-petrochemical-site', text).requestId).toBe(r.requestId);
    expect(energyPricesRequest('p', JSON.stringify({ requestId: 'tou-1', power: [] })).requestId).toBe('tou-1');
  });

  it('names every bad entry', () => {
    expect(() => energyPricesRequest('p', JSON.stringify({ power: [{ from: 'soon', to: '2026-12-07T20:00:00Z' }], co2PricePerT: 'high' }))).toThrow('invalid prices file: power[0].from: not a time (soon); power[0].pricePerMWh: a number is required; co2PricePerT: a number is required');
  });
});
