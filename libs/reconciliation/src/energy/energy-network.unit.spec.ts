import type { Network } from '../network/network.types';
import { reconcile } from '../reconcile/reconcile';
import { SeededRandom } from '../simulation/seeded-random';
import { enthalpyPT } from '../steam/iapws-if97';
import { type EnergyNetwork, reconcileEnergyNetwork } from './energy-network';

const P = 5e5; // 5 bar, liquid water: IF97 region 1

/** Mixer: hot (3 kg/s, 80 °C) + cold (2 kg/s, 20 °C) water; the outlet temperature closes the enthalpy balance. */
function mixerTruth(): { F: number[]; T: number[] } {
  const F = [3, 2, 5];
  const T1 = 353.15;
  const T2 = 293.15;
  const H = F[0] * enthalpyPT(P, T1) + F[1] * enthalpyPT(P, T2);
  let lo = T2;
  let hi = T1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (F[2] * enthalpyPT(P, mid) < H) lo = mid;
    else hi = mid;
  }
  return { F, T: [T1, T2, (lo + hi) / 2] };
}

function mixer(F: number[], T: number[], sF = 0.05, sT = 0.5): EnergyNetwork {
  const ends: [string | null, string | null][] = [
    [null, 'MIX'],
    [null, 'MIX'],
    ['MIX', null],
  ];
  return {
    nodes: [{ id: 'MIX' }],
    streams: ends.map(([from, to], i) => ({
      id: `S${i + 1}`,
      from,
      to,
      pressure_Pa: P,
      flow_kg_per_s: { measured: true, value: F[i], sigma: sF },
      temperature_K: { measured: true, value: T[i], sigma: sT },
    })),
  };
}

const value = (r: ReturnType<typeof reconcileEnergyNetwork>, id: string): number => r.variables.find((v) => v.id === id)?.reconciled as number;

describe('energy balances by successive linearisation', () => {
  it('leaves exact data unchanged', () => {
    const { F, T } = mixerTruth();
    const r = reconcileEnergyNetwork(mixer(F, T));
    expect(r.globalTest.statistic).toBeLessThan(1e-12);
    for (const v of r.variables) expect(Math.abs(v.adjustment as number)).toBeLessThan(1e-8);
  });

  it('closes mass and enthalpy balances on noisy data and improves the estimates', () => {
    const { F, T } = mixerTruth();
    const rnd = new SeededRandom(9);
    let raw = 0;
    let rec = 0;
    for (let run = 0; run < 100; run++) {
      const Fm = F.map((f) => f + 0.05 * rnd.normal());
      const Tm = T.map((t) => t + 0.5 * rnd.normal());
      const r = reconcileEnergyNetwork(mixer(Fm, Tm));
      expect(r.constraintResidualMax).toBeLessThan(1e-9);
      const F3 = value(r, 'S1.flow') + value(r, 'S2.flow');
      expect(value(r, 'S3.flow')).toBeCloseTo(F3, 9);
      const H = value(r, 'S1.flow') * enthalpyPT(P, value(r, 'S1.temperature')) + value(r, 'S2.flow') * enthalpyPT(P, value(r, 'S2.temperature'));
      expect(value(r, 'S3.flow') * enthalpyPT(P, value(r, 'S3.temperature'))).toBeCloseTo(H, 0);
      for (let i = 0; i < 3; i++) {
        raw += ((Fm[i] - F[i]) / 0.05) ** 2 + ((Tm[i] - T[i]) / 0.5) ** 2;
        rec += ((value(r, `S${i + 1}.flow`) - F[i]) / 0.05) ** 2 + ((value(r, `S${i + 1}.temperature`) - T[i]) / 0.5) ** 2;
      }
    }
    expect(rec).toBeLessThan(0.8 * raw);
  });

  it('global test false-alarm rate stays near alpha on the bilinear problem', () => {
    const { F, T } = mixerTruth();
    const rnd = new SeededRandom(10);
    let alarms = 0;
    const runs = 1000;
    for (let run = 0; run < runs; run++) {
      const r = reconcileEnergyNetwork(mixer(F.map((f) => f + 0.05 * rnd.normal()), T.map((t) => t + 0.5 * rnd.normal())));
      expect(r.globalTest.dof).toBe(2);
      if (r.globalTest.rejected) alarms++;
    }
    expect(alarms / runs).toBeGreaterThan(0.03);
    expect(alarms / runs).toBeLessThan(0.07);
  });

  it('estimates an unmeasured heat loss and an unmeasured outlet temperature with sigmas', () => {
    const { F, T } = mixerTruth();
    const loss = -50e3; // W
    const net = mixer(F, T);
    // Outlet temperature lowered by the loss; outlet temperature unmeasured, heat loss unmeasured → not observable together.
    const both: EnergyNetwork = {
      nodes: [{ id: 'MIX', heatInput_W: { measured: false } }],
      streams: net.streams.map((s) => (s.id === 'S3' ? { ...s, temperature_K: { measured: false, initial: 300 } } : s)),
    };
    const r1 = reconcileEnergyNetwork(both);
    expect(r1.variables.find((v) => v.id === 'MIX.heat')?.classification).toBe('unobservable');
    expect(r1.variables.find((v) => v.id === 'S3.temperature')?.classification).toBe('unobservable');
    // With the outlet temperature measured, the heat loss is observable.
    const T3 = T[2] + loss / (F[2] * 4180);
    const measuredOutlet: EnergyNetwork = {
      nodes: [{ id: 'MIX', heatInput_W: { measured: false } }],
      streams: mixer(F, [T[0], T[1], T3]).streams,
    };
    const r2 = reconcileEnergyNetwork(measuredOutlet);
    const heat = r2.variables.find((v) => v.id === 'MIX.heat');
    expect(heat?.classification).toBe('observable');
    expect(heat?.reconciled).toBeCloseTo(loss, -3);
    expect(heat?.sigma).toBeGreaterThan(0);
    expect(r2.globalTest.dof).toBe(1);
  });

  it('reduces to the linear closed form when only mass balances are written (N&J Table 1-2)', async () => {
    const y = [101.91, 64.45, 34.65, 64.2, 36.44, 98.88];
    const ends: [string | null, string | null][] = [
      [null, 'SPLIT'],
      ['SPLIT', 'HX'],
      ['SPLIT', 'VALVE'],
      ['HX', 'MIX'],
      ['VALVE', 'MIX'],
      ['MIX', null],
    ];
    const linear: Network = {
      nodes: ['SPLIT', 'HX', 'VALVE', 'MIX'].map((id) => ({ id })),
      streams: ends.map(([from, to], i) => (i === 2 ? { id: `S${i + 1}`, from, to, measured: false } : { id: `S${i + 1}`, from, to, measured: true, value: y[i], sigma: 1 })),
    };
    const energy: EnergyNetwork = {
      nodes: ['SPLIT', 'HX', 'VALVE', 'MIX'].map((id) => ({ id, balances: ['mass'] as const })),
      streams: ends.map(([from, to], i) => ({ id: `S${i + 1}`, from, to, flow_kg_per_s: i === 2 ? { measured: false } : { measured: true, value: y[i], sigma: 1 } })),
    };
    const a = await reconcile(linear, { maxEliminations: 0, bounds: false });
    const b = reconcileEnergyNetwork(energy);
    expect(b.globalTest.dof).toBe(a.globalTest.dof);
    expect(b.globalTest.statistic).toBeCloseTo(a.globalTest.statistic, 9);
    a.streams.forEach((s) => {
      const v = b.variables.find((x) => x.id === `${s.id}.flow`);
      expect(v?.reconciled).toBeCloseTo(s.reconciled as number, 9);
      expect(v?.sigma).toBeCloseTo(s.sigma as number, 9);
      expect(v?.classification).toBe(s.classification);
    });
  });

  it('reconciles a component balance (flow × mass fraction)', () => {
    // Blender: A (4 kg/s, 10 % ethanol) + B (6 kg/s, 50 %) → C (10 kg/s, 34 %), with noise.
    const net: EnergyNetwork = {
      components: ['ethanol'],
      nodes: [{ id: 'BLEND', balances: ['mass', 'components'] }],
      streams: [
        { id: 'A', from: null, to: 'BLEND', flow_kg_per_s: { measured: true, value: 4.1, sigma: 0.1 }, massFractions: { ethanol: { measured: true, value: 0.1, sigma: 0.005 } } },
        { id: 'B', from: null, to: 'BLEND', flow_kg_per_s: { measured: true, value: 5.9, sigma: 0.1 }, massFractions: { ethanol: { measured: true, value: 0.51, sigma: 0.005 } } },
        { id: 'C', from: 'BLEND', to: null, flow_kg_per_s: { measured: true, value: 10.2, sigma: 0.1 }, massFractions: { ethanol: { measured: true, value: 0.335, sigma: 0.005 } } },
      ],
    };
    const r = reconcileEnergyNetwork(net);
    const g = (id: string): number => r.variables.find((v) => v.id === id)?.reconciled as number;
    expect(g('A.flow') + g('B.flow')).toBeCloseTo(g('C.flow'), 9);
    expect(g('A.flow') * g('A.w.ethanol') + g('B.flow') * g('B.w.ethanol')).toBeCloseTo(g('C.flow') * g('C.w.ethanol'), 9);
    expect(r.globalTest.dof).toBe(2);
  });

  it('names every missing property with its path', () => {
    expect(() =>
      reconcileEnergyNetwork({ nodes: [{ id: 'N' }], streams: [{ id: 'S', from: null, to: 'N', flow_kg_per_s: { measured: true, value: 1, sigma: 0 } }] }),
    ).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_NETWORK', violations: expect.arrayContaining([expect.objectContaining({ field: 'streams[0].temperature_K' }), expect.objectContaining({ field: 'streams[0].flow_kg_per_s' })]) }));
  });
});

describe('gross errors in energy balances', () => {
  it('finds a thermometer reading 5 K high by serial elimination and estimates the bias', () => {
    // Mixer then splitter: the mixed-stream thermometer S3 enters both energy balances, so a bias in
    // it has a signature of its own (a thermometer in a single balance would share it with the
    // other variables of that balance and could not be told apart).
    const { F, T } = mixerTruth();
    const rnd = new SeededRandom(11);
    let found = 0;
    const runs = 40;
    const ends: [string | null, string | null][] = [
      [null, 'MIX'],
      [null, 'MIX'],
      ['MIX', 'SPL'],
      ['SPL', null],
      ['SPL', null],
    ];
    const flows = [...F, 2.2, 2.8];
    const temps = [...T, T[2], T[2]];
    for (let run = 0; run < runs; run++) {
      const net: EnergyNetwork = {
        nodes: [{ id: 'MIX' }, { id: 'SPL' }],
        streams: ends.map(([from, to], i) => ({
          id: `S${i + 1}`,
          from,
          to,
          pressure_Pa: P,
          flow_kg_per_s: { measured: true, value: flows[i] + 0.02 * rnd.normal(), sigma: 0.02 },
          temperature_K: { measured: true, value: temps[i] + 0.3 * rnd.normal() + (i === 2 ? 5 : 0), sigma: 0.3 },
        })),
      };
      const r = reconcileEnergyNetwork(net, { maxEliminations: 2 });
      const g = r.grossErrors[0];
      if (g?.id === 'S3.temperature') {
        found++;
        expect(Math.abs((g.magnitude as number) - 5)).toBeLessThan(4 * (g.sigma as number));
      }
    }
    expect(found / runs).toBeGreaterThanOrEqual(0.8);
  });
});
