import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';

/**
 * How a flow meter turns what it senses into its reading:
 * - `differentialPressure`: an orifice plate, venturi or nozzle. The flow follows the square-root
 *   relation q_m = C·√(ΔP·ρ), q_v = q_m/ρ = C·√(ΔP/ρ); the transmitter computes its reading with the
 *   design density ρ_d.
 * - `linear`: a meter of actual volume (turbine, vortex, magnetic, ultrasonic); its volume is right
 *   at any density, only the conversion to mass or normal volume used ρ_d.
 */
export type FlowElement = 'differentialPressure' | 'linear';

/** What the meter's reading is: mass flow, actual volumetric flow, or volumetric flow at normal conditions. */
export type FlowOutput = 'mass' | 'volume' | 'normalVolume';

export interface FlowCompensationInput {
  readonly element: FlowElement;
  readonly output: FlowOutput;
  /** Density at flowing conditions now (from live temperature and pressure), kg/m³. */
  readonly actualDensityKgPerM3: number;
  /** Density the meter was configured with (at its design conditions), kg/m³. */
  readonly designDensityKgPerM3: number;
  /** Density at normal conditions, kg/Nm³ (output `normalVolume`). */
  readonly normalDensityKgPerNm3?: number;
}

/**
 * kg/s of true mass flow per SI unit of the meter's reading (kg/s, m³/s or Nm³/s), with ρ the
 * density at flowing conditions and ρ_d the design density:
 *
 * | element \ output | mass | volume | normal volume |
 * |---|---|---|---|
 * | differential pressure | √(ρ/ρ_d) | √(ρ·ρ_d) | ρ_n·√(ρ/ρ_d) |
 * | linear | — (a mass meter needs none) | ρ | ρ_n·ρ/ρ_d |
 *
 * Derivation for a DP meter: it reads q_m,ind = C·√(ΔP·ρ_d) while the flow is q_m = C·√(ΔP·ρ), so
 * q_m = q_m,ind·√(ρ/ρ_d); a volumetric reading q_v,ind = C·√(ΔP/ρ_d) means q_m = ρ·C·√(ΔP/ρ) =
 * q_v,ind·√(ρ·ρ_d); a normal-volume reading is q_m,ind/ρ_n. At design density every factor is the
 * uncompensated one (1, ρ_d, ρ_n). Light gas (ρ < ρ_d) makes an uncompensated DP meter read high in
 * mass and low in volume.
 */
export function massFlowPerReading(input: FlowCompensationInput): number {
  const { element, output, actualDensityKgPerM3: rho, designDensityKgPerM3: rhoD } = input;
  if (!(rho > 0) || !(rhoD > 0)) throw invalid(`densities must be positive (actual ${rho}, design ${rhoD} kg/m³)`);
  const normal = (): number => {
    const rhoN = input.normalDensityKgPerNm3;
    if (rhoN === undefined || !(rhoN > 0)) throw invalid('a normal-volume reading needs the normal density');
    return rhoN;
  };
  if (element === 'differentialPressure') {
    if (output === 'mass') return Math.sqrt(rho / rhoD);
    if (output === 'volume') return Math.sqrt(rho * rhoD);
    return normal() * Math.sqrt(rho / rhoD);
  }
  if (output === 'mass') throw invalid('a linear mass-flow meter (Coriolis) measures mass directly and needs no compensation');
  if (output === 'volume') return rho;
  return (normal() * rho) / rhoD;
}

function invalid(message: string): ReconciliationError {
  return new ReconciliationError(ReconciliationErrorCode.invalidOptions, `flow compensation: ${message}`);
}
