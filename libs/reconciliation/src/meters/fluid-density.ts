import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { region2, saturationTemperature, IF97_CRITICAL_PRESSURE_PA, b23Pressure } from '../steam/iapws-if97';

/** Molar gas constant, J/(kmol·K) (CODATA 2018: 8.314462618 J/(mol·K)). */
export const MOLAR_GAS_CONSTANT_J_PER_KMOL_K = 8314.462618;

/** How the density of a metered fluid follows its temperature and pressure. */
export type FluidDensityModel =
  /** Superheated steam: IAPWS-IF97 region 2 (the basic equation, ρ = 1/v). */
  | { readonly fluid: 'steam' }
  /** A gas: ρ = p·M / (Z·R·T), Z the compressibility factor (1 for an ideal gas). */
  | { readonly fluid: 'gas'; readonly molarMassKgPerKmol: number; readonly compressibility?: number }
  /** A liquid: ρ = ρ_ref / (1 + β·(T − T_ref)), β the volumetric expansion coefficient; pressure is ignored. */
  | { readonly fluid: 'liquid'; readonly referenceDensityKgPerM3: number; readonly referenceTemperatureK: number; readonly expansionCoefficientPerK: number };

/**
 * Density of superheated steam at p (Pa, absolute) and T (K) from the IAPWS-IF97 region 2 basic
 * equation (the Gibbs free energy γ(π, τ) of Tables 10 and 11: v = (R·T/p)·π·(γ°_π + γʳ_π)). Throws
 * RECONCILIATION.OUT_OF_RANGE when (p, T) is not vapour in region 2: at or below saturation (wet
 * steam has no single density from p and T), above the B23 boundary, or outside 273.15–1073.15 K,
 * 0–100 MPa.
 */
export function steamDensity(p: number, T: number): number {
  if (!(p > 0 && p <= 100e6) || !(T >= 273.15 && T <= 1073.15)) throw outOfRange(`steam density: (p = ${p} Pa, T = ${T} K) outside IF97 region 2`);
  if (p <= IF97_CRITICAL_PRESSURE_PA && T <= 647.096 && T <= saturationTemperature(p)) {
    throw outOfRange(`steam density: T = ${T} K is not above the saturation temperature ${saturationTemperature(p).toFixed(2)} K at p = ${p} Pa (not superheated)`);
  }
  if (T > 623.15 && T <= 863.15 && p > b23Pressure(T)) throw outOfRange(`steam density: (p = ${p} Pa, T = ${T} K) lies in IF97 region 3`);
  if (T <= 623.15 && p > IF97_CRITICAL_PRESSURE_PA) throw outOfRange(`steam density: (p = ${p} Pa, T = ${T} K) is compressed liquid`);
  return 1 / region2(p, T).v;
}

/** Density (kg/m³) of a fluid at p (Pa, absolute) and T (K). */
export function fluidDensity(model: FluidDensityModel, p: number, T: number): number {
  switch (model.fluid) {
    case 'steam':
      return steamDensity(p, T);
    case 'gas': {
      const z = model.compressibility ?? 1;
      if (!(p > 0) || !(T > 0) || !(z > 0)) throw outOfRange(`gas density: p = ${p} Pa, T = ${T} K, Z = ${z} must be positive`);
      return (p * model.molarMassKgPerKmol) / (z * MOLAR_GAS_CONSTANT_J_PER_KMOL_K * T);
    }
    case 'liquid': {
      const expansion = 1 + model.expansionCoefficientPerK * (T - model.referenceTemperatureK);
      if (!(T > 0) || !(expansion > 0)) throw outOfRange(`liquid density: T = ${T} K is outside the expansion model`);
      return model.referenceDensityKgPerM3 / expansion;
    }
    default: {
      const exhaustive: never = model;
      return exhaustive;
    }
  }
}

function outOfRange(message: string): ReconciliationError {
  return new ReconciliationError(ReconciliationErrorCode.outOfRange, message);
}
