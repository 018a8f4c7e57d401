/** Physical quantity kinds an engineering unit can express, each with its SI (or SI-coherent) unit. */
export const QUANTITY_KINDS = {
  massFlow: 'kg/s',
  volumetricFlow: 'm3/s',
  normalVolumetricFlow: 'Nm3/s',
  temperature: 'K',
  pressure: 'Pa',
  power: 'W',
  specificEnthalpy: 'J/kg',
  /** Mass fraction (and other dimensionless ratios: level in % of height). */
  fraction: '1',
  /** Mole (amount-of-substance) fraction: converts to a mass fraction only with the molar masses of the whole mixture. */
  moleFraction: 'mol/mol',
  length: 'm',
  area: 'm2',
  volume: 'm3',
  /** Gas volume at normal conditions (0 °C, 1.01325 bar): not a volume at operating conditions, so never converted to m3. */
  normalVolume: 'Nm3',
  mass: 'kg',
  density: 'kg/m3',
  /** Mass per normal cubic metre (gas at 0 °C, 1.01325 bar): not convertible to kg/m3 without P and T. */
  normalDensity: 'kg/Nm3',
  energy: 'J',
  time: 's',
  rotationalSpeed: 'rad/s',
} as const;

export type QuantityKind = keyof typeof QUANTITY_KINDS;

export const QUANTITY_KIND_NAMES = Object.keys(QUANTITY_KINDS) as QuantityKind[];
