import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';

/**
 * Water and steam properties from IAPWS-IF97 (Revised Release, 2007): region 1 (compressed
 * liquid), region 2 (vapour) and region 4 (saturation line), with the B23 boundary. SI units
 * throughout: pressure in Pa, temperature in K, specific enthalpy in J/kg, specific heat capacity
 * in J/(kg·K), specific volume in m³/kg. Region 3 (near-critical) and region 5 (> 1073.15 K) are
 * out of scope and raise RECONCILIATION.OUT_OF_RANGE.
 */
const R = 461.526; // J/(kg·K), specific gas constant of water in IF97

// Region 1: Table 2 of IF97 (I, J, n).
const R1_I = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 8, 8, 21, 23, 29, 30, 31, 32];
const R1_J = [-2, -1, 0, 1, 2, 3, 4, 5, -9, -7, -1, 0, 1, 3, -3, 0, 1, 3, 17, -4, 0, 6, -5, -2, 10, -8, -11, -6, -29, -31, -38, -39, -40, -41];
const R1_N = [
  0.14632971213167, -0.84548187169114, -0.3756360367204e1, 0.33855169168385e1, -0.95791963387872, 0.15772038513228, -0.16616417199501e-1,
  0.81214629983568e-3, 0.28319080123804e-3, -0.60706301565874e-3, -0.18990068218419e-1, -0.32529748770505e-1, -0.21841717175414e-1,
  -0.5283835796993e-4, -0.47184321073267e-3, -0.30001780793026e-3, 0.47661393906987e-4, -0.44141845330846e-5, -0.72694996297594e-15,
  -0.31679644845054e-4, -0.28270797985312e-5, -0.85205128120103e-9, -0.22425281908e-5, -0.65171222895601e-6, -0.14341729937924e-12,
  -0.40516996860117e-6, -0.12734301741641e-8, -0.17424871230634e-9, -0.68762131295531e-18, 0.14478307828521e-19, 0.26335781662795e-22,
  -0.11947622640071e-22, 0.18228094581404e-23, -0.93537087292458e-25,
];

// Region 2: Tables 10 (ideal-gas part) and 11 (residual part).
const R2_J0 = [0, 1, -5, -4, -3, -2, -1, 2, 3];
const R2_N0 = [-0.96927686500217e1, 0.10086655968018e2, -0.5608791128302e-2, 0.71452738081455e-1, -0.40710498223928, 0.14240819171444e1, -0.4383951131945e1, -0.28408632460772, 0.21268463753307e-1];
const R2_I = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 6, 6, 6, 7, 7, 7, 8, 8, 9, 10, 10, 10, 16, 16, 18, 20, 20, 20, 21, 22, 23, 24, 24, 24];
const R2_J = [0, 1, 2, 3, 6, 1, 2, 4, 7, 36, 0, 1, 3, 6, 35, 1, 2, 3, 7, 3, 16, 35, 0, 11, 25, 8, 36, 13, 4, 10, 14, 29, 50, 57, 20, 35, 48, 21, 53, 39, 26, 40, 58];
const R2_N = [
  -0.17731742473213e-2, -0.17834862292358e-1, -0.45996013696365e-1, -0.57581259083432e-1, -0.5032527872793e-1, -0.33032641670203e-4,
  -0.18948987516315e-3, -0.39392777243355e-2, -0.43797295650573e-1, -0.26674547914087e-4, 0.20481737692309e-7, 0.43870667284435e-6,
  -0.3227767723857e-4, -0.15033924542148e-2, -0.40668253562649e-1, -0.78847309559367e-9, 0.12790717852285e-7, 0.48225372718507e-6,
  0.22922076337661e-5, -0.16714766451061e-10, -0.21171472321355e-2, -0.23895741934104e2, -0.5905956432427e-17, -0.12621808899101e-5,
  -0.38946842435739e-1, 0.11256211360459e-10, -0.82311340897998e1, 0.19809712802088e-7, 0.10406965210174e-18, -0.10234747095929e-12,
  -0.10018179379511e-8, -0.80882908646985e-10, 0.10693031879409, -0.33662250574171, 0.89185845355421e-24, 0.30629316876232e-12,
  -0.42002467698208e-5, -0.59056029685639e-25, 0.37826947613457e-5, -0.12768608934681e-14, 0.73087610595061e-28, 0.55414715350778e-16,
  -0.9436970724121e-6,
];

// Region 4: Table 34; B23: Table 1.
const N4 = [
  0.11670521452767e4, -0.72421316703206e6, -0.17073846940092e2, 0.1202082470247e5, -0.32325550322333e7, 0.1491510861353e2, -0.48232657361591e4,
  0.40511340542057e6, -0.23855557567849, 0.65017534844798e3,
];
const B23 = [0.34805185628969e3, -0.11671859879975e1, 0.10192970039326e-2];

export const IF97_CRITICAL_PRESSURE_PA = 22.064e6;
export const IF97_CRITICAL_TEMPERATURE_K = 647.096;

export interface SteamState {
  readonly region: 1 | 2;
  /** Specific enthalpy, J/kg. */
  readonly h: number;
  /** Isobaric specific heat capacity ∂h/∂T at constant p, J/(kg·K). */
  readonly cp: number;
  /** Specific volume, m³/kg. */
  readonly v: number;
  /** Specific entropy, J/(kg·K). */
  readonly s: number;
}

function outOfRange(message: string): ReconciliationError {
  return new ReconciliationError(ReconciliationErrorCode.outOfRange, message);
}

/** Saturation pressure (Pa) at temperature T (K), 273.15 K ≤ T ≤ 647.096 K (IF97 eq. 30). */
export function saturationPressure(T: number): number {
  if (!(T >= 273.15 && T <= IF97_CRITICAL_TEMPERATURE_K)) throw outOfRange(`saturation pressure: T = ${T} K outside [273.15, 647.096] K`);
  const theta = T + N4[8] / (T - N4[9]);
  const A = theta * theta + N4[0] * theta + N4[1];
  const B = N4[2] * theta * theta + N4[3] * theta + N4[4];
  const C = N4[5] * theta * theta + N4[6] * theta + N4[7];
  return Math.pow((2 * C) / (-B + Math.sqrt(B * B - 4 * A * C)), 4) * 1e6;
}

/** Saturation temperature (K) at pressure p (Pa), 611.213 Pa ≤ p ≤ 22.064 MPa (IF97 eq. 31). */
export function saturationTemperature(p: number): number {
  if (!(p >= 611.212677 && p <= IF97_CRITICAL_PRESSURE_PA)) throw outOfRange(`saturation temperature: p = ${p} Pa outside [611.213 Pa, 22.064 MPa]`);
  const beta = Math.pow(p / 1e6, 0.25);
  const E = beta * beta + N4[2] * beta + N4[5];
  const F = N4[0] * beta * beta + N4[3] * beta + N4[6];
  const G = N4[1] * beta * beta + N4[4] * beta + N4[7];
  const D = (2 * G) / (-F - Math.sqrt(F * F - 4 * E * G));
  return (N4[9] + D - Math.sqrt((N4[9] + D) * (N4[9] + D) - 4 * (N4[8] + N4[9] * D))) / 2;
}

/** Pressure (Pa) on the region 2–3 boundary at T (K), 623.15 K ≤ T ≤ 863.15 K. */
export function b23Pressure(T: number): number {
  return (B23[0] + B23[1] * T + B23[2] * T * T) * 1e6;
}

/** Region 1 (compressed liquid) properties at p (Pa), T (K). */
export function region1(p: number, T: number): SteamState {
  const pi = p / 16.53e6;
  const tau = 1386 / T;
  const a = 7.1 - pi;
  const b = tau - 1.222;
  let g = 0;
  let gPi = 0;
  let gTau = 0;
  let gTauTau = 0;
  for (let i = 0; i < 34; i++) {
    const I = R1_I[i];
    const J = R1_J[i];
    const n = R1_N[i];
    const aI = Math.pow(a, I);
    const bJ = Math.pow(b, J);
    g += n * aI * bJ;
    gPi -= n * I * Math.pow(a, I - 1) * bJ;
    gTau += n * aI * J * Math.pow(b, J - 1);
    gTauTau += n * aI * J * (J - 1) * Math.pow(b, J - 2);
  }
  return { region: 1, h: R * T * tau * gTau, cp: -R * tau * tau * gTauTau, v: ((R * T) / p) * pi * gPi, s: R * (tau * gTau - g) };
}

/** Region 2 (vapour) properties at p (Pa), T (K). */
export function region2(p: number, T: number): SteamState {
  const pi = p / 1e6;
  const tau = 540 / T;
  let g0 = Math.log(pi);
  let g0Tau = 0;
  let g0TauTau = 0;
  for (let i = 0; i < 9; i++) {
    const J = R2_J0[i];
    g0 += R2_N0[i] * Math.pow(tau, J);
    g0Tau += R2_N0[i] * J * Math.pow(tau, J - 1);
    g0TauTau += R2_N0[i] * J * (J - 1) * Math.pow(tau, J - 2);
  }
  const b = tau - 0.5;
  let gr = 0;
  let grPi = 0;
  let grTau = 0;
  let grTauTau = 0;
  for (let i = 0; i < 43; i++) {
    const I = R2_I[i];
    const J = R2_J[i];
    const n = R2_N[i];
    const pI = Math.pow(pi, I);
    const bJ = Math.pow(b, J);
    gr += n * pI * bJ;
    grPi += n * I * Math.pow(pi, I - 1) * bJ;
    grTau += n * pI * J * Math.pow(b, J - 1);
    grTauTau += n * pI * J * (J - 1) * Math.pow(b, J - 2);
  }
  return {
    region: 2,
    h: R * T * tau * (g0Tau + grTau),
    cp: -R * tau * tau * (g0TauTau + grTauTau),
    v: ((R * T) / p) * pi * (1 / pi + grPi),
    s: R * (tau * (g0Tau + grTau) - (g0 + gr)),
  };
}

/**
 * Properties at (p, T), choosing region 1 or 2 by the saturation line (T ≤ 623.15 K) or the B23
 * boundary (623.15 K < T ≤ 863.15 K). Throws OUT_OF_RANGE in region 3 or outside IF97's range.
 */
export function steamPT(p: number, T: number): SteamState {
  if (!(p > 0 && p <= 100e6)) throw outOfRange(`p = ${p} Pa outside (0, 100 MPa]`);
  if (!(T >= 273.15 && T <= 1073.15)) throw outOfRange(`T = ${T} K outside [273.15, 1073.15] K`);
  if (T <= 623.15) {
    return p >= saturationPressure(T) ? region1(p, T) : region2(p, T);
  }
  if (T <= 863.15 && p > b23Pressure(T)) throw outOfRange(`(p = ${p} Pa, T = ${T} K) lies in IF97 region 3, not implemented`);
  return region2(p, T);
}

/** Specific enthalpy h(p, T) in J/kg. */
export function enthalpyPT(p: number, T: number): number {
  return steamPT(p, T).h;
}

/** Saturated liquid and vapour enthalpies (J/kg) at pressure p (Pa) ≤ 16.529 MPa (regions 1/2 apply). */
export function saturationEnthalpies(p: number): { T: number; hLiquid: number; hVapour: number } {
  const T = saturationTemperature(p);
  if (T > 623.15) throw outOfRange(`saturation at p = ${p} Pa lies in region 3 (T > 623.15 K)`);
  return { T, hLiquid: region1(p, T).h, hVapour: region2(p, T).h };
}
