import { reconcileNonlinear, type NonlinearConstraints, type NonlinearResult, type NonlinearVariable } from '../energy/nonlinear-reconcile';
import type { Network, NetworkStream } from '../network/network.types';
import { reconcile } from './reconcile';

/**
 * Published worked examples with their published answers (issue 4). Every number asserted as
 * "published" below was read in the source named in the comment above it; digits are asserted to the
 * precision the source prints. Narasimhan & Jordache Table 1-1 lives in reconcile.unit.spec.ts.
 */

const byId = <T extends { id: string }>(list: readonly T[], id: string): T => {
  const found = list.find((s) => s.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

/**
 * Cooling-water circulation network: one cooling-water station supplies four plants.
 * Source: "Basic Concepts in Data Reconciliation", Tier I, chapters 2 and 3 (Program for North
 * American Mobility in Higher Education, North Carolina State University / University of Ottawa,
 * 2003), as reproduced with its numbers in the notebook abonyilab/SystemsEngineering,
 * 08_DataReconciliation_MerleghibaKiegyenlites.ipynb (based on
 * https://chemeng-processing.blogspot.com/2014/04/basic-concepts-in-data-reconciliation.html).
 *
 *   Plant 1: F1 − F2 − F3 = 0    Plant 2: F2 − F4 = 0    Plant 3: F3 − F5 = 0    Plant 4: F4 + F5 − F6 = 0
 *
 * Flows in kt/h, measurements y = [110.5, 60.8, 35.0, 68.9, 38.6, 101.4], uncorrelated, with
 * variances V = diag(0.6724, 0.2809, 0.2116, 0.5041, 0.2025, 1.44) (kt/h)².
 */
const CW_Y = [110.5, 60.8, 35.0, 68.9, 38.6, 101.4];
const CW_VAR = [0.6724, 0.2809, 0.2116, 0.5041, 0.2025, 1.44];
function coolingWater(measured: readonly string[]): Network {
  const ends: [string | null, string | null][] = [
    [null, 'P1'],
    ['P1', 'P2'],
    ['P1', 'P3'],
    ['P2', 'P4'],
    ['P3', 'P4'],
    ['P4', null],
  ];
  return {
    flowUnit: 'kt/h',
    nodes: ['P1', 'P2', 'P3', 'P4'].map((id) => ({ id })),
    streams: ends.map(([from, to], i): NetworkStream => {
      const id = `F${i + 1}`;
      return measured.includes(id) ? { id, from, to, measured: true, value: CW_Y[i], sigma: Math.sqrt(CW_VAR[i]) } : { id, from, to, measured: false };
    }),
  };
}

describe('textbook example: cooling-water network (NCSU / U. Ottawa "Basic Concepts in Data Reconciliation", 2003)', () => {
  it('reconciles the fully measured network to ŷ = y − V Aᵀ (A V Aᵀ)⁻¹ A y and reproduces the published covariance of the reconciled flows', async () => {
    const r = await reconcile(coolingWater(['F1', 'F2', 'F3', 'F4', 'F5', 'F6']), { maxEliminations: 0, bounds: false });
    // Reconciled flows, kt/h: the module's result table is an image; the notebook prints
    // [103.24010825, 65.41556049, 37.82454776, 65.41556049, 37.82454776, 103.24010825] for the
    // same formula. Asserted to the two decimals the module's tables use.
    const expected = [103.24, 65.42, 37.82, 65.42, 37.82, 103.24];
    expected.forEach((v, i) => expect(byId(r.streams, `F${i + 1}`).reconciled).toBeCloseTo(v, 2));
    // Published Cov(ŷ) = W V Wᵀ, diagonal (4 decimals, (kt/h)²): 0.1753, 0.1365, 0.0890, 0.1365, 0.0890, 0.1753.
    const publishedVariance = [0.1753, 0.1365, 0.089, 0.1365, 0.089, 0.1753];
    publishedVariance.forEach((v, i) => expect((byId(r.streams, `F${i + 1}`).sigma as number) ** 2).toBeCloseTo(v, 4));
    // "It is clear that the reconciled flows have smaller standard deviations": every one does.
    r.streams.forEach((s, i) => expect(s.sigma as number).toBeLessThan(Math.sqrt(CW_VAR[i])));
    // Four independent plant balances, no unmeasured flow.
    expect(r.globalTest.dof).toBe(4);
    expect(r.counts.redundant).toBe(6);
  });

  it('classifies F1 as non-redundant and F3, F5 as redundant when only F1, F3 and F5 are measured, and estimates F2, F4, F6 (published 110.5, 36.84, 36.84; 73.66, 73.66, 110.5)', async () => {
    const r = await reconcile(coolingWater(['F1', 'F3', 'F5']), { maxEliminations: 0, bounds: false });
    // Published projection: P A_y = [0 1 −1], so F1 drops out (non-redundant, keeps its
    // measurement) and the only constraint left is F3 − F5 = 0.
    expect(byId(r.streams, 'F1').classification).toBe('nonredundant');
    expect(byId(r.streams, 'F3').classification).toBe('redundant');
    expect(byId(r.streams, 'F5').classification).toBe('redundant');
    expect(r.globalTest.dof).toBe(1);
    expect(byId(r.streams, 'F1').reconciled).toBeCloseTo(110.5, 10);
    expect(byId(r.streams, 'F3').reconciled).toBeCloseTo(36.84, 2);
    expect(byId(r.streams, 'F5').reconciled).toBeCloseTo(36.84, 2);
    // Published estimates of the unmeasured flows, ẑ = −(A_zᵀA_z)⁻¹A_zᵀ A_y ŷ: all observable.
    for (const id of ['F2', 'F4', 'F6']) expect(byId(r.streams, id).classification).toBe('observable');
    expect(byId(r.streams, 'F2').reconciled).toBeCloseTo(73.66, 2);
    expect(byId(r.streams, 'F4').reconciled).toBeCloseTo(73.66, 2);
    expect(byId(r.streams, 'F6').reconciled).toBeCloseTo(110.5, 2);
  });

  it('finds F2–F5 unobservable and F1, F6 redundant through the overall balance when only F1 and F6 are measured (published: rank A_z = 3 < 4, P A_y ŷ = F1 − F6 = 0)', async () => {
    const r = await reconcile(coolingWater(['F1', 'F6']), { maxEliminations: 0, bounds: false });
    for (const id of ['F2', 'F3', 'F4', 'F5']) {
      expect(byId(r.streams, id).classification).toBe('unobservable');
      expect(byId(r.streams, id).reconciled).toBeNull();
    }
    expect(byId(r.streams, 'F1').classification).toBe('redundant');
    expect(byId(r.streams, 'F6').classification).toBe('redundant');
    expect(r.globalTest.dof).toBe(1);
    // The single projected constraint F1 − F6 = 0 holds after reconciliation.
    expect(byId(r.streams, 'F1').reconciled).toBeCloseTo(byId(r.streams, 'F6').reconciled as number, 10);
  });
});

/**
 * VDI 2048 Part 1 ("Messunsicherheiten bei Abnahmemessungen an energie- und kraftwerkstechnischen
 * Anlagen"), Annex A worked example: feedwater, steam and condensate mass flows of a power-plant
 * unit, kg/s. The measured values and 95 % half-widths are those of Annex A (A6, with the widened
 * feedwater half-widths of 2.5 kg/s of A24) as transcribed in ezander/dvrlib demo/vdi2048.cc; the
 * reference results are the expected output of the OpenModelica test suite,
 * testsuite/openmodelica/dataReconciliation/ModelicaDataReconciliationSimpleTests.Models.VDI2048.
 * VDI2048Example.mos (input file .../NewDataReconciliationSimpleTests.VDI2048Example_Inputs.csv,
 * columns "Measured value x; Half-width confidence interval"). That run does not pass the Annex A8
 * correlation coefficients (ρ = 0.2 between the two feedwater meters, 0.4 between the two steam
 * meters), so it is the uncorrelated variant of the example, and so is this test: the VDI's own
 * correlated results (A34) were not available to us.
 *
 *   mFDKEL + mFDKELL + 0.4·mV − mSPL − mSPLL = 0          (feedwater = steam, with the 0.4·mV share)
 *   mSPL + mSPLL − mA5 − mA6 − mA7 − mHK − mV = 0
 *   mA5 + mA6 + mA7 − mHDNK = 0
 *
 * The 0.4 coefficient makes this a linear system that is not an incidence matrix, so it goes
 * through the general (successively linearised) solver, which converges in one step here.
 * Convention: VDI 2048 states uncertainties as 95 % half-widths u = 1.96 σ. The weighted
 * least-squares estimate is invariant to a common scale of the weights, so feeding u as "sigma"
 * gives the published estimates, the published "Estimated Uncertainty" (also a 95 % half-width)
 * as our sigma, and the published "Local Quality" |vᵢ| / √(uᵢ² − ûᵢ²) as our measurement-test
 * statistic (VDI 2048 accepts a measurement while that quality is ≤ 1, i.e. our test ≤ 1.96 with
 * σ = u / 1.96).
 */
const VDI_IDS = ['mFDKEL', 'mFDKELL', 'mSPL', 'mSPLL', 'mV', 'mHK', 'mA7', 'mA6', 'mA5', 'mHDNK', 'mD'];
const VDI_MEASURED = [46.241, 45.668, 44.575, 44.319, 0.525, 69.978, 10.364, 3.744, 4.391, 18.498, 2.092];
const VDI_UNCERTAINTY = [2.5, 2.5, 0.535, 0.532, 0.105, 0.854, 0.168, 0.058, 0.058, 0.205, 0.272];
const VDI_A = [
  // mFDKEL mFDKELL mSPL mSPLL mV  mHK mA7 mA6 mA5 mHDNK mD
  [1, 1, -1, -1, 0.4, 0, 0, 0, 0, 0, 0],
  [0, 0, 1, 1, -1, -1, -1, -1, -1, 0, 0],
  [0, 0, 0, 0, 0, 0, 1, 1, 1, -1, 0],
];
const linear = (A: number[][]): NonlinearConstraints => ({
  ids: A.map((_, i) => `balance${i + 1}`),
  evaluate: (z) => A.map((row) => row.reduce((s, a, j) => s + a * z[j], 0)),
  jacobian: () => A.map((row) => [...row]),
});
/** printf("%g") prints 6 significant digits (trailing zeros dropped): agree to half a unit of the last one. */
function expectSignificant(actual: number, published: number, digits: number): void {
  const halfUnit = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(published))) - (digits - 1));
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
}
function vdi2048(): NonlinearResult {
  const variables: NonlinearVariable[] = VDI_IDS.map((id, i) => ({ id, measured: true, value: VDI_MEASURED[i], sigma: VDI_UNCERTAINTY[i] }));
  return reconcileNonlinear(variables, linear(VDI_A));
}

describe('textbook example: VDI 2048 Part 1 Annex A feedwater / steam flows, uncorrelated variant (OpenModelica reference output)', () => {
  // Published: Estimated Value, Estimated Uncertainty, Local Quality (6 significant digits).
  const published: Record<string, [number, number, number]> = {
    mFDKEL: [44.6918, 1.78991, 0.887628],
    mFDKELL: [44.1188, 1.78991, 0.887628],
    mSPL: [44.6385, 0.471702, 0.251487],
    mSPLL: [44.3818, 0.469808, 0.251487],
    mV: [0.524194, 0.104563, 0.0242626],
    mHK: [69.997, 0.566796, 0.0297734],
    mA7: [10.364, 0.133016, 0.000342739],
    mA6: [3.744, 0.0566957, 0.00022856],
    mA5: [4.391, 0.0566957, 0.00022856],
    mHDNK: [18.499, 0.137122, 0.00684795],
  };

  it('reproduces the published reconciled flows and their uncertainties', () => {
    const r = vdi2048();
    for (const [id, [value, uncertainty]] of Object.entries(published)) {
      const v = byId(r.variables, id);
      expectSignificant(v.reconciled as number, value, 6);
      expectSignificant(v.sigma as number, uncertainty, 6);
    }
    expect(r.constraintResidualMax).toBeLessThan(1e-9);
  });

  it('reproduces the published local quality (our measurement test on the 95 % half-widths) and accepts every measurement', () => {
    const r = vdi2048();
    // Seven of ten agree with our measurement test |vᵢ| / √Var(vᵢ), Var(vᵢ) = uᵢ² − ûᵢ², to all six digits.
    for (const id of ['mFDKEL', 'mFDKELL', 'mSPL', 'mSPLL', 'mHK', 'mA7', 'mHDNK']) expectSignificant(byId(r.variables, id).measurementTest as number, published[id][2], 6);
    // mA5, mA6 and mA7 enter the balances with identical columns, so their measurement tests are
    // necessarily equal (the statistic depends only on the column: |aᵢᵀλ| / √(aᵢᵀM⁻¹aᵢ)); ours are,
    // the reference prints 0.00022856 for mA5/mA6 but 0.000342739 for mA7. The three printed values
    // that differ from ours (mV, mA5, mA6) are exactly those whose adjustment variance is below
    // 10 % of the measurement variance, and all ten printed values are reproduced to six digits by
    // |vᵢ| / √max(uᵢ² − ûᵢ², 0.1 uᵢ²): the reference floors the adjustment variance (a convention of
    // that implementation, inferred from its numbers), we do not.
    const a5 = byId(r.variables, 'mA5').measurementTest as number;
    expect(byId(r.variables, 'mA6').measurementTest).toBeCloseTo(a5, 12);
    expect(byId(r.variables, 'mA7').measurementTest).toBeCloseTo(a5, 12);
    for (const [id, [, , quality]] of Object.entries(published)) {
      const v = byId(r.variables, id);
      const u = VDI_UNCERTAINTY[VDI_IDS.indexOf(id)];
      const adjustmentVariance = u ** 2 - (v.sigma as number) ** 2;
      const floored = adjustmentVariance < 0.1 * u ** 2;
      expect(floored).toBe(['mV', 'mA5', 'mA6'].includes(id));
      expectSignificant(Math.abs(v.adjustment as number) / Math.sqrt(Math.max(adjustmentVariance, 0.1 * u ** 2)), quality, 6);
      // "Result of Local Test: TRUE" for every variable; ours accepts them too (quality ≤ 1).
      expect(v.measurementTest as number).toBeLessThanOrEqual(1);
    }
  });

  it('keeps mD, which enters no balance, at its measurement with its own uncertainty (published 2.092 ± 0.272, quality 0)', () => {
    const r = vdi2048();
    const mD = byId(r.variables, 'mD');
    expect(mD.classification).toBe('nonredundant');
    expect(mD.reconciled).toBe(2.092);
    expect(mD.sigma).toBeCloseTo(0.272, 12);
    expect(mD.measurementTest).toBeNull();
    // Three independent balances, all ten other measurements redundant.
    expect(r.globalTest.dof).toBe(3);
    expect(r.variables.filter((v) => v.classification === 'redundant')).toHaveLength(10);
  });
});
