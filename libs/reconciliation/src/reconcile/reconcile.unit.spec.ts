import type { Network, NetworkStream } from '../network/network.types';
import { ReconciliationErrorCode } from '../reconciliation.error';
import { generatePlantNetwork } from '../simulation/plant-network.generator';
import { reconcile } from './reconcile';

/**
 * Heat exchanger with bypass, Narasimhan & Jordache, "Data Reconciliation and Gross Error
 * Detection" (2000), Fig. 1-2 / Table 1-1 (also the data of jckantor/MathProg-Solver
 * examples/DataReconciliation.mod): SPLIT → HX → MIX and SPLIT → VALVE → MIX, σ = 1 for every meter.
 */
const NJ_MEASURED = [101.91, 64.45, 34.65, 64.2, 36.44, 98.88];
function njNetwork(unmeasured: string[] = []): Network {
  const ends: [string | null, string | null][] = [
    [null, 'SPLIT'],
    ['SPLIT', 'HX'],
    ['SPLIT', 'VALVE'],
    ['HX', 'MIX'],
    ['VALVE', 'MIX'],
    ['MIX', null],
  ];
  return {
    nodes: ['SPLIT', 'HX', 'VALVE', 'MIX'].map((id) => ({ id })),
    streams: ends.map(([from, to], i): NetworkStream => {
      const id = `S${i + 1}`;
      return unmeasured.includes(id) ? { id, from, to, measured: false } : { id, from, to, measured: true, value: NJ_MEASURED[i], sigma: 1 };
    }),
  };
}

const byId = <T extends { id: string }>(list: readonly T[], id: string): T => {
  const found = list.find((s) => s.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

describe('reconcile: textbook examples', () => {
  it('reproduces Narasimhan & Jordache Table 1-1 (completely measured heat-exchanger bypass)', async () => {
    const r = await reconcile(njNetwork(), { maxEliminations: 0 });
    const expected = [100.22, 64.5, 35.72, 64.5, 35.72, 100.22];
    expected.forEach((v, i) => expect(byId(r.streams, `S${i + 1}`).reconciled).toBeCloseTo(v, 2));
    // Four independent balances, no unmeasured flow: dof = 4. Every node closes afterwards.
    expect(r.globalTest.dof).toBe(4);
    expect(r.globalTest.statistic).toBeCloseTo(6.4075, 4);
    expect(r.globalTest.rejected).toBe(false);
    for (const node of r.nodes) expect(node.imbalanceAfter).toBeCloseTo(0, 10);
    expect(byId(r.nodes, 'SPLIT').imbalanceBefore).toBeCloseTo(2.81, 10);
    // Each meter of a 6-stream/4-balance network keeps 1/3 of its variance here: σ̂ = 1/√3.
    for (const s of r.streams) expect(s.sigma).toBeCloseTo(1 / Math.sqrt(3), 10);
  });

  it('estimates the unmeasured bypass flow and its sigma (N&J Table 1-2 case, stream 3 unmeasured)', async () => {
    const r = await reconcile(njNetwork(['S3']), { maxEliminations: 0 });
    const s3 = byId(r.streams, 'S3');
    expect(s3.classification).toBe('observable');
    expect(r.globalTest.dof).toBe(3);
    // Closed form on the projected system: S1 − S2 − S5 = 0, S2 − S4 = 0, S4 + S5 − S6 = 0.
    expect(byId(r.streams, 'S1').reconciled).toBeCloseTo(100.4875, 4);
    expect(byId(r.streams, 'S2').reconciled).toBeCloseTo(64.2325, 4);
    expect(s3.reconciled).toBeCloseTo(36.255, 4);
    expect(s3.reconciled).toBeCloseTo(byId(r.streams, 'S5').reconciled as number, 10);
    expect(s3.sigma).toBeCloseTo(Math.SQRT1_2, 6);
  });
});

describe('reconcile: closed form against an independent dense computation', () => {
  it('matches x̂ = y − Σ Aᵀ (A Σ Aᵀ)⁻¹ A y with a full (correlated) covariance', async () => {
    const net = njNetwork();
    const sig = [1.2, 0.8, 0.5, 0.9, 0.6, 1.5];
    const covariance = [
      { a: 'S1', b: 'S6', value: 0.6 },
      { a: 'S2', b: 'S4', value: -0.2 },
    ];
    const network: Network = { ...net, streams: net.streams.map((s, i) => ({ ...s, sigma: sig[i] })), covariance };
    const r = await reconcile(network, { maxEliminations: 0, bounds: false });
    const A = [
      [1, -1, -1, 0, 0, 0],
      [0, 1, 0, -1, 0, 0],
      [0, 0, 1, 0, -1, 0],
      [0, 0, 0, 1, 1, -1],
    ];
    const S = sig.map((si, i) => sig.map((_, j) => (i === j ? si * si : 0)));
    S[0][5] = S[5][0] = 0.6;
    S[1][3] = S[3][1] = -0.2;
    const y = NJ_MEASURED;
    const SAt = S.map((row) => A.map((a) => row.reduce((acc, v, k) => acc + v * a[k], 0))); // 6×4
    const M = A.map((a) => A.map((_, j) => a.reduce((acc, v, k) => acc + v * SAt[k][j], 0)));
    const Ay = A.map((a) => a.reduce((acc, v, k) => acc + v * y[k], 0));
    const lambda = solveDense(M, Ay);
    const xhat = y.map((yi, i) => yi - SAt[i].reduce((acc, v, j) => acc + v * lambda[j], 0));
    xhat.forEach((v, i) => expect(byId(r.streams, `S${i + 1}`).reconciled).toBeCloseTo(v, 9));
    expect(r.globalTest.statistic).toBeCloseTo(Ay.reduce((acc, v, i) => acc + v * lambda[i], 0), 9);
    // Var(x̂) = Σ − Σ Aᵀ M⁻¹ A Σ, diagonal.
    const MinvASigma = SAt.map((row) => solveDense(M, row));
    xhat.forEach((_, i) => {
      const v = S[i][i] - SAt[i].reduce((acc, val, j) => acc + val * MinvASigma[i][j], 0);
      expect(byId(r.streams, `S${i + 1}`).sigma).toBeCloseTo(Math.sqrt(v), 9);
    });
  });
});

describe('reconcile: bounds', () => {
  it('gives the same answer from the HiGHS QP as from the closed form when no bound is active', async () => {
    const closed = await reconcile(njNetwork(['S3']), { maxEliminations: 0, bounds: false });
    const qp = await reconcile(njNetwork(['S3']), { maxEliminations: 0, forceQp: true });
    expect(qp.solver).toBe('qp');
    expect(closed.solver).toBe('closed-form');
    expect(qp.activeBounds).toEqual([]);
    closed.streams.forEach((s, i) => expect(qp.streams[i].reconciled).toBeCloseTo(s.reconciled as number, 4));
  });

  it('respects a meter range and reports the active bound', async () => {
    const net = njNetwork();
    // The unbounded solution puts S1 at 100.22; a meter range capped at 100 must bind.
    const network: Network = { ...net, streams: net.streams.map((s) => (s.id === 'S1' ? { ...s, upper: 100 } : s)) };
    const free = await reconcile(network, { maxEliminations: 0, bounds: false });
    expect(byId(free.streams, 'S1').reconciled).toBeGreaterThan(100);
    const r = await reconcile(network, { maxEliminations: 0 });
    expect(r.solver).toBe('qp');
    expect(byId(r.streams, 'S1').reconciled).toBeCloseTo(100, 5);
    expect(r.activeBounds).toEqual([{ id: 'S1', bound: 'upper', value: 100 }]);
    // Balances still close with the bound active.
    for (const node of r.nodes) expect(node.imbalanceAfter).toBeCloseTo(0, 5);
  });

  it('keeps an unmeasured flow non-negative', async () => {
    // S3 would be estimated at 101.91 − 104.45 < 0 from S1 and S2 alone.
    const network: Network = {
      nodes: [{ id: 'SPLIT' }],
      streams: [
        { id: 'S1', from: null, to: 'SPLIT', measured: true, value: 101.91, sigma: 1 },
        { id: 'S2', from: 'SPLIT', to: null, measured: true, value: 104.45, sigma: 1 },
        { id: 'S3', from: 'SPLIT', to: null, measured: false },
      ],
    };
    const r = await reconcile(network, { maxEliminations: 0 });
    expect(byId(r.streams, 'S3').reconciled).toBeCloseTo(0, 6);
    expect(byId(r.streams, 'S1').reconciled).toBeCloseTo(103.18, 2);
    expect(r.activeBounds).toEqual([{ id: 'S3', bound: 'lower', value: 0 }]);
  });

  it('reports bounds that no flows can satisfy', async () => {
    const network: Network = {
      nodes: [{ id: 'N' }],
      streams: [
        { id: 'A', from: null, to: 'N', measured: true, value: 10, sigma: 1, upper: 5 },
        { id: 'B', from: 'N', to: null, measured: true, value: 10, sigma: 1, lower: 7 },
      ],
    };
    await expect(reconcile(network)).rejects.toMatchObject({ code: ReconciliationErrorCode.infeasibleBounds });
  });
});

describe('reconcile: options and tanks', () => {
  it('rejects alpha outside (0, 1) with a field-level violation', async () => {
    await expect(reconcile(njNetwork(), { alpha: 1.5 })).rejects.toMatchObject({ code: ReconciliationErrorCode.invalidOptions, violations: [{ field: 'alpha' }] });
  });

  it('balances a tank through its measured accumulation', async () => {
    const network: Network = {
      nodes: [{ id: 'TK', accumulation: { measured: true, value: 2, sigma: 0.5 } }],
      streams: [
        { id: 'IN', from: null, to: 'TK', measured: true, value: 12.3, sigma: 0.3 },
        { id: 'OUT', from: 'TK', to: null, measured: true, value: 9.9, sigma: 0.3 },
      ],
    };
    const r = await reconcile(network, { maxEliminations: 0 });
    const acc = byId(r.streams, 'TK#accumulation');
    expect(acc.kind).toBe('accumulation');
    expect((byId(r.streams, 'IN').reconciled as number) - (byId(r.streams, 'OUT').reconciled as number)).toBeCloseTo(acc.reconciled as number, 10);
    expect(byId(r.nodes, 'TK').imbalanceBefore).toBeCloseTo(0.4, 10);
    // The least certain term absorbs most of the 0.4 imbalance: 0.25/(0.09+0.09+0.25) of it.
    expect(acc.reconciled).toBeCloseTo(2 + (0.4 * 0.25) / 0.43, 10);
  });
});

function solveDense(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

describe('reconcile: bounded solution on a simulated plant', () => {
  it('conditioning on the violated estimates reaches the full HiGHS QP optimum', async () => {
    // Noisy meters (8 %) and 20 % unmeasured streams: several estimated flows come out negative.
    const { network } = generatePlantNetwork({ streams: 150, seed: 7, relativeSigma: 0.08, unmeasuredFraction: 0.2 });
    const free = await reconcile(network, { maxEliminations: 0, bounds: false });
    expect(free.streams.some((s) => s.reconciled !== null && s.reconciled < 0)).toBe(true);
    const conditioned = await reconcile(network, { maxEliminations: 0 });
    const full = await reconcile(network, { maxEliminations: 0, forceQp: true });
    expect(conditioned.solver).toBe('qp');
    expect(conditioned.activeBounds).toEqual(full.activeBounds);
    expect(conditioned.activeBounds.length).toBeGreaterThan(0);
    // Same optimum (HiGHS's own tolerance is ~1e-7 relative on the objective).
    expect(conditioned.objective).toBeLessThanOrEqual(full.objective + 1e-6);
    expect(conditioned.objective).toBeCloseTo(full.objective, 4);
    for (const s of conditioned.streams) {
      if (s.reconciled === null) continue;
      expect(s.reconciled).toBeGreaterThanOrEqual(-1e-9);
    }
    for (const n of conditioned.nodes) if (n.imbalanceAfter !== null) expect(n.imbalanceAfter).toBeCloseTo(0, 6);
  });
});

describe('reconcile: equivalent gross errors', () => {
  const measured = (id: string, from: string | null, to: string | null, value: number, sigma = 1): NetworkStream => ({ id, from, to, measured: true, value, sigma });

  it('reports a loss at a unit whose outlet meters all share its signature as the loss, the meters as its equivalents', async () => {
    // MX feeds three burners whose flue gas is unmeasured: their balances are not redundant, so a
    // bias of any outlet meter (or of the feed meter from the boundary) looks exactly like a loss at MX.
    const network: Network = {
      nodes: ['FEED', 'MX', 'B1', 'B2', 'B3'].map((id) => ({ id })),
      streams: [
        measured('gas-in', null, 'FEED', 100),
        measured('gas-feed', 'FEED', 'MX', 100),
        measured('gas-b1', 'MX', 'B1', 30),
        measured('gas-b2', 'MX', 'B2', 30),
        measured('gas-b3', 'MX', 'B3', 28), // 12 kg/s lost at MX
        ...['B1', 'B2', 'B3'].map((b): NetworkStream => ({ id: `flue-${b}`, from: b, to: null, measured: false })),
      ],
    };
    const r = await reconcile(network, { bounds: false });
    expect(r.grossErrors).toHaveLength(1);
    expect(r.grossErrors[0]).toMatchObject({ kind: 'leak', id: 'MX' });
    expect(r.grossErrors[0].magnitude).toBeCloseTo(12, 6);
    expect([...r.grossErrors[0].equivalent].sort()).toEqual(['bias:gas-b1', 'bias:gas-b2', 'bias:gas-b3']);
  });

  it('reports a meter tied with a single loss as the meter, the loss as its equivalent', async () => {
    // OUT is the only measured stream that MX's balance shares with no other redundant balance.
    const network: Network = {
      nodes: ['A', 'MX', 'SINK'].map((id) => ({ id })),
      streams: [measured('in', null, 'A', 50), measured('bypass', 'A', null, 10), measured('feed', 'A', 'MX', 40), measured('out', 'MX', 'SINK', 34), { id: 'sink-out', from: 'SINK', to: null, measured: false }],
    };
    const r = await reconcile(network, { bounds: false });
    expect(r.grossErrors[0]).toMatchObject({ kind: 'bias', id: 'out', equivalent: ['leak:MX'] });
    expect(r.grossErrors[0].magnitude).toBeCloseTo(-6, 0);
  });

  it('hypothesises a gain (an inflow missing from the model) only when asked to, and reports it as a negative loss', async () => {
    // U2 puts out 1 kg/s more than it gets: an unmodelled inflow
    const network: Network = {
      nodes: [{ id: 'U1' }, { id: 'U2' }],
      streams: [
        { id: 'S1', from: null, to: 'U1', measured: true, value: 10, sigma: 0.1 },
        { id: 'S2', from: 'U1', to: 'U2', measured: true, value: 10, sigma: 0.1 },
        { id: 'S3', from: 'U2', to: null, measured: true, value: 6.5, sigma: 0.1 },
        { id: 'S5', from: 'U2', to: null, measured: true, value: 4.5, sigma: 0.1 },
      ],
    };
    const lossesOnly = await reconcile(network);
    expect(lossesOnly.grossErrors.map((e) => e.kind)).toEqual(['bias']);
    const withGains = await reconcile(network, { gains: true });
    expect(withGains.grossErrors).toHaveLength(1);
    expect(withGains.grossErrors[0]).toMatchObject({ kind: 'leak', id: 'U2' });
    expect(withGains.grossErrors[0].magnitude).toBeCloseTo(-1, 1);
    expect(withGains.globalTestAfter.rejected).toBe(false);
  });

  it('reports two leaks at neighbouring units, each with its own magnitude', async () => {
    // A loses 3 kg/s, B loses 5 kg/s; every balance has its own redundancy (side draws), σ = 0.5.
    const half = (id: string, from: string | null, to: string | null, value: number): NetworkStream => measured(id, from, to, value, 0.5);
    const network: Network = {
      nodes: ['A', 'B', 'C'].map((id) => ({ id })),
      streams: [half('feed', null, 'A', 100), half('a-draw', 'A', null, 20), half('ab', 'A', 'B', 77), half('b-draw', 'B', null, 10), half('bc', 'B', 'C', 62), half('c-out', 'C', null, 62), half('c-in', null, 'C', 5), half('c-draw', 'C', null, 5)],
    };
    const r = await reconcile(network, { bounds: false });
    const leaks = Object.fromEntries(r.grossErrors.map((g) => [`${g.kind}:${g.id}`, g.magnitude]));
    expect(Object.keys(leaks).sort()).toEqual(['leak:A', 'leak:B']);
    expect(leaks['leak:A']).toBeCloseTo(3, 6);
    expect(leaks['leak:B']).toBeCloseTo(5, 6);
    expect(r.globalTestAfter.rejected).toBe(false);
  });
});
