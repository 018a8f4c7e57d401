import { parseProblem } from '../parse-problem';
import { handSolvedProblem } from '../../testing/hand-solved.problem';
import { powerPrices } from './power-price';

describe('powerPrices', () => {
  it('applies time-of-use bands by local hour of day at each period midpoint, later bands overriding earlier ones', () => {
    const problem = parseProblem(
      handSolvedProblem({
        horizon: { start: '2026-12-07T05:00:00Z', periods: 6, periodHours: 1, utcOffsetHours: 2 },
        energy: { power: { pricePerMWh: 50, timeOfUse: [{ fromHour: 8, toHour: 20, pricePerMWh: 150 }, { fromHour: 9, toHour: 10, pricePerMWh: 300 }] } },
      }),
    );
    // local 07:00 … 12:00
    expect(powerPrices(problem)).toEqual([50, 150, 300, 150, 150, 150]);
  });

  it('takes a price given for a period over the time-of-use band and the flat price', () => {
    const problem = parseProblem(
      handSolvedProblem({
        horizon: { start: '2026-12-07T07:00:00Z', periods: 4, periodHours: 1 },
        energy: { power: { pricePerMWh: 50, timeOfUse: [{ fromHour: 8, toHour: 20, pricePerMWh: 150 }], periodPrices: [{ period: 1, pricePerMWh: 900 }] } },
      }),
    );
    expect(powerPrices(problem)).toEqual([50, 900, 150, 150]);
  });
});
