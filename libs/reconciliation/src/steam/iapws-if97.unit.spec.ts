import { ReconciliationErrorCode } from '../reconciliation.error';
import { b23Pressure, region1, region2, saturationEnthalpies, saturationPressure, saturationTemperature, steamPT } from './iapws-if97';

// Computer-program verification values of IAPWS-IF97 (Revised Release 2007): Tables 5, 15, 35, 36.
describe('IAPWS-IF97 verification tables', () => {
  it.each([
    // T (K), p (MPa), v (m³/kg), h (kJ/kg), s (kJ/kg/K), cp (kJ/kg/K)
    [300, 3, 0.100215168e-2, 0.115331273e3, 0.392294792, 0.417301218e1],
    [300, 80, 0.971180894e-3, 0.184142828e3, 0.368563852, 0.401008987e1],
    [500, 3, 0.120241800e-2, 0.975542239e3, 0.258041912e1, 0.465580682e1],
  ])('region 1 at T = %p K, p = %p MPa (Table 5)', (T, p, v, h, s, cp) => {
    const st = region1(p * 1e6, T);
    expect(st.v / v).toBeCloseTo(1, 8);
    expect(st.h / (h * 1e3)).toBeCloseTo(1, 8);
    expect(st.s / (s * 1e3)).toBeCloseTo(1, 8);
    expect(st.cp / (cp * 1e3)).toBeCloseTo(1, 8);
  });

  it.each([
    [300, 0.0035, 0.394913866e2, 0.254991145e4, 0.852238967e1, 0.191300162e1],
    [700, 0.0035, 0.923015898e2, 0.333568375e4, 0.101749996e2, 0.208141274e1],
    [700, 30, 0.542946619e-2, 0.263149474e4, 0.517540298e1, 0.103505092e2],
  ])('region 2 at T = %p K, p = %p MPa (Table 15)', (T, p, v, h, s, cp) => {
    const st = region2(p * 1e6, T);
    expect(st.v / v).toBeCloseTo(1, 8);
    expect(st.h / (h * 1e3)).toBeCloseTo(1, 8);
    expect(st.s / (s * 1e3)).toBeCloseTo(1, 8);
    expect(st.cp / (cp * 1e3)).toBeCloseTo(1, 8);
  });

  it.each([
    [300, 0.353658941e-2],
    [500, 0.263889776e1],
    [600, 0.123443146e2],
  ])('saturation pressure at %p K is %p MPa (Table 35)', (T, p) => {
    expect(saturationPressure(T) / (p * 1e6)).toBeCloseTo(1, 8);
  });

  it.each([
    [0.1, 0.372755919e3],
    [1, 0.453035632e3],
    [10, 0.584149488e3],
  ])('saturation temperature at %p MPa is %p K (Table 36)', (p, T) => {
    expect(saturationTemperature(p * 1e6) / T).toBeCloseTo(1, 8);
  });

  it('B23 boundary passes through (623.15 K, 16.5291643 MPa) (Table 1 check value)', () => {
    expect(b23Pressure(623.15) / 0.165291643e8).toBeCloseTo(1, 8);
  });
});

describe('steam property selection', () => {
  it('picks region 1 below saturation temperature and region 2 above', () => {
    expect(steamPT(1e6, 400).region).toBe(1);
    expect(steamPT(1e6, 500).region).toBe(2);
  });

  it('gives the latent heat of steam at 1 bar (≈ 2257.5 kJ/kg)', () => {
    const sat = saturationEnthalpies(101325);
    expect(sat.T).toBeCloseTo(373.124, 2);
    expect((sat.hVapour - sat.hLiquid) / 1e3).toBeCloseTo(2256.5, 0);
  });

  it('refuses states in region 3 with OUT_OF_RANGE', () => {
    expect(() => steamPT(25e6, 650)).toThrow(expect.objectContaining({ code: ReconciliationErrorCode.outOfRange }));
  });
});
