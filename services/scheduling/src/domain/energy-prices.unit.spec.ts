import { T0, twoUnitPlant } from '../../test/fixtures/two-unit-plant';
import { energyPriceViolations, withEnergyPrices } from './energy-prices';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('energy prices', () => {
  it('gives each period the price of the last range covering its midpoint; uncovered periods keep the model price', () => {
    const energy = { ...twoUnitPlant().energy, fuels: [{ id: 'gas', pricePerMWh: 30 }] };
    const prices = { power: [{ from: iso(T0 + HOUR), to: iso(T0 + 3 * HOUR), pricePerMWh: 200 }, { from: iso(T0 + 2 * HOUR), to: iso(T0 + 2.4 * HOUR), pricePerMWh: 900 }], fuels: [{ fuel: 'gas', from: iso(T0), to: iso(T0 + HOUR), pricePerMWh: 45 }], co2PricePerT: 80 };
    const e = withEnergyPrices(energy, prices, T0, HOUR, 4);
    // period 2's midpoint (02:30) lies outside the 900 range (02:00-02:24)
    expect(e.power.periodPrices).toEqual([
      { period: 1, pricePerMWh: 200 },
      { period: 2, pricePerMWh: 200 },
    ]);
    expect(e.fuels![0].periodPrices).toEqual([{ period: 0, pricePerMWh: 45 }]);
    expect(e.co2).toEqual({ pricePerT: 80 });
  });

  it('names every bad field of a price update', () => {
    const v = energyPriceViolations(twoUnitPlant(), { power: [{ from: iso(T0), to: iso(T0), pricePerMWh: Number.NaN }], fuels: [{ fuel: 'coal', from: iso(T0), to: iso(T0 + HOUR), pricePerMWh: 1 }], co2PricePerT: -2 });
    expect(v.map((x) => x.field).sort()).toEqual(['co2_price_per_t', 'fuel_prices[0].fuel_id', 'power_prices[0].end_time', 'power_prices[0].price_per_mwh']);
  });
});
