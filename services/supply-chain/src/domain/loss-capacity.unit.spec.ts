import { capacityLossOf, tPerPeriodOf } from './loss-capacity';
import { parseNetwork } from './parse-network';
import { disruptionNetwork } from '../testing/small-networks';

const network = parseNetwork({
  ...disruptionNetwork,
  horizon: { periods: 6, periodHours: 24, start: '2026-12-01T00:00:00Z' },
  sites: disruptionNetwork.sites.map((s) => (s.id === 'B' ? { ...s, plantId: 'plant-b', units: ['R-100'] } : s)),
});
const loss = { plantId: 'plant-b', unitId: 'R-100', estimatedLossKgPerS: 0.25, foundAt: new Date('2026-12-02T10:00:00Z') };

describe('capacity taken by a suspected loss', () => {
  it('converts kg/s to t per period: 1 kg/s over a 24 h period is 86.4 t', () => {
    expect(tPerPeriodOf(1, 24)).toBeCloseTo(86.4, 9);
    expect(tPerPeriodOf(0.5, 1)).toBeCloseTo(1.8, 9);
  });

  it('takes the lost mass rate off the site of the unit from the period it was found in, for the configured periods', () => {
    expect(capacityLossOf(network, loss, 2)).toEqual({ site: 'B', fromPeriod: 1, toPeriod: 3, lostTPerPeriod: 21.6 });
  });

  it('ends the derate at the horizon', () => {
    expect(capacityLossOf(network, { ...loss, foundAt: new Date('2026-12-06T10:00:00Z') }, 4)).toMatchObject({ fromPeriod: 5, toPeriod: 6 });
  });

  it('removes no capacity for an unexplained gain, a unit of no site or another plant', () => {
    expect(capacityLossOf(network, { ...loss, estimatedLossKgPerS: -0.3 }, 2)).toBeUndefined();
    expect(capacityLossOf(network, { ...loss, unitId: 'PV-4001' }, 2)).toBeUndefined();
    expect(capacityLossOf(network, { ...loss, plantId: 'elsewhere' }, 2)).toBeUndefined();
  });
});
