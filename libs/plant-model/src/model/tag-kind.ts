import type { QuantityKind } from '../units/quantity-kind';

/** What a tag measures, and the quantity kinds its engineering unit may have. */
export const TAG_KINDS = {
  massFlow: ['massFlow'],
  volumetricFlow: ['volumetricFlow'],
  normalVolumetricFlow: ['normalVolumetricFlow'],
  temperature: ['temperature'],
  pressure: ['pressure'],
  composition: ['fraction', 'moleFraction'],
  level: ['length', 'fraction'],
  power: ['power'],
  specificEnthalpy: ['specificEnthalpy'],
  density: ['density'],
  /** A digital tag (pump running, valve open, mode): its value is the index of one of its `digitalStates`. */
  state: ['fraction'],
} as const satisfies Record<string, readonly QuantityKind[]>;

export type TagKind = keyof typeof TAG_KINDS;
export const TAG_KIND_NAMES = Object.keys(TAG_KINDS) as [TagKind, ...TagKind[]];

export const unitFitsTagKind = (tagKind: TagKind, unitKind: QuantityKind): boolean =>
  (TAG_KINDS[tagKind] as readonly QuantityKind[]).includes(unitKind);
