import type { ProblemInput } from '../domain/problem.schema';

/**
 * One unit, one mode (1 t crude → 1 t product, 10 t/h, 1 MWh/t), four one-hour periods from 00:00,
 * power 50 per MWh except 200 from 02:00 to 04:00, crude at 100 per t, 25 t of product due by the
 * end of period 3. By hand: run 10 t at 00:00, 10 t at 01:00 and the remaining 5 t at 02:00;
 * crude 2,500 + power 500 + 500 + 1,000 = 4,500. One more t of capacity at 00:00 saves 150
 * (moves a tonne off the 200 hour); one more t of demand costs 100 + 200 = 300; one more MWh of
 * site load at 03:00 costs 200.
 */
export function handSolvedProblem(overrides: Partial<ProblemInput> = {}): ProblemInput {
  return {
    plant: 'hand',
    horizon: { start: '2026-12-07T00:00:00Z', periods: 4, periodHours: 1 },
    formulation: 'lp',
    materials: [{ id: 'crude' }, { id: 'product' }],
    units: [{ id: 'U1', modes: [{ id: 'run', inputs: [{ material: 'crude', fraction: 1 }], outputs: [{ material: 'product', yield: 1 }], maxRateTPerH: 10, utilities: { powerMWhPerT: 1 } }] }],
    tanks: [{ id: 'TK-P', materials: ['product'], maxT: 100 }],
    supplies: [{ id: 'crude-spot', material: 'crude', pricePerT: 100, maxTPerPeriod: 100 }],
    demands: [{ id: 'D1', material: 'product', quantityT: 25, duePeriod: 3, latenessPenaltyPerTPerPeriod: 10, shortfallPenaltyPerT: 1000 }],
    energy: { power: { pricePerMWh: 50, timeOfUse: [{ fromHour: 2, toHour: 4, pricePerMWh: 200 }] } },
    ...overrides,
  };
}
