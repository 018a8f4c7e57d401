/** Physical quantity kinds an engineering unit can express, each with its SI (or SI-coherent) unit. */
export const QUANTITY_KINDS = {
  massFlow: 'kg/s',
  volumetricFlow: 'm3/s',
  normalVolumetricFlow: 'Nm3/s',
  temperature: 'K',
  pressure: 'Pa',
  power: 'W',
  specificEnthalpy: 'J/kg',
  fraction: '1',
  length: 'm',
  area: 'm2',
  volume: 'm3',
  mass: 'kg',
  density: 'kg/m3',
  energy: 'J',
  time: 's',
  rotationalSpeed: 'rad/s',
} as const;

export type QuantityKind = keyof typeof QUANTITY_KINDS;

export const QUANTITY_KIND_NAMES = Object.keys(QUANTITY_KINDS) as QuantityKind[];
