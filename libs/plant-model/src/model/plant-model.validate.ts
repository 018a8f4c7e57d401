import { findUnitOfMeasure, spanToSI, toSI } from '../units/unit-of-measure.registry';
import { POWER_ONLY_MEDIA, type PlantModel, type Stream, type Tag, type Unit } from './plant-model.schema';
import type { PlantModelIssue } from './plant-model.issues';
import { unitFitsTagKind } from './tag-kind';
import { compositionBasisOf, isAmbiguousCompositionUnit, massToMoleFractions } from '../balance/composition-basis';

const COMPOSITION_TOLERANCE = 1e-6;

/**
 * Cross-reference checks zod cannot express: ids, stream ends, units of measure, ranges, nominal
 * values the tags need. Returns every problem; an empty list means the model is consistent.
 */
export const validatePlantModel = (model: PlantModel): PlantModelIssue[] => {
  const issues: PlantModelIssue[] = [];
  const report = (path: string, code: string, message: string) => issues.push({ path, code, message });

  const units = new Map<string, Unit>();
  const containers = new Map<string, string>();
  const claim = (kind: string, id: string, path: string) => {
    const previous = containers.get(`${kind}:${id}`);
    if (previous) report(`${path}.id`, 'DUPLICATE_ID', `${kind} id "${id}" is already used at ${previous}`);
    else containers.set(`${kind}:${id}`, path);
  };

  model.sites.forEach((site, s) => {
    claim('site', site.id, `sites[${s}]`);
    site.areas.forEach((area, a) => {
      const areaPath = `sites[${s}].areas[${a}]`;
      claim('area', area.id, areaPath);
      area.units.forEach((unit, u) => {
        const unitPath = `${areaPath}.units[${u}]`;
        claim('unit', unit.id, unitPath);
        if (!units.has(unit.id)) units.set(unit.id, unit);
        if (unit.inventory && unit.inventory.nominalLevelM > unit.inventory.heightM)
          report(`${unitPath}.inventory.nominalLevelM`, 'INVENTORY.LEVEL_ABOVE_HEIGHT', 'nominal level exceeds the height');
        if ((unit.type === 'tank' || unit.type === 'gasHolder') && !unit.inventory)
          report(`${unitPath}.inventory`, 'INVENTORY.MISSING', `a ${unit.type} needs an inventory (area, density, height, level)`);
      });
    });
  });

  const streams = new Map<string, Stream>();
  model.streams.forEach((stream, i) => {
    const path = `streams[${i}]`;
    claim('stream', stream.id, path);
    if (!streams.has(stream.id)) streams.set(stream.id, stream);
    for (const end of ['from', 'to'] as const) {
      const unitId = stream[end];
      if (unitId !== null && !units.has(unitId))
        report(`${path}.${end}`, 'STREAM.DANGLING_END', `stream "${stream.id}" ${end} unknown unit "${unitId}"`);
    }
    if (stream.from === null && stream.to === null)
      report(path, 'STREAM.BOUNDARY_BOTH_ENDS', `stream "${stream.id}" has no unit at either end`);
    if (stream.from !== null && stream.from === stream.to)
      report(`${path}.to`, 'STREAM.SELF_LOOP', `stream "${stream.id}" starts and ends at "${stream.from}"`);
    const powerOnly = (POWER_ONLY_MEDIA as readonly string[]).includes(stream.medium);
    const { massFlowKgPerS, powerW, composition } = stream.nominal;
    if (powerOnly) {
      if (stream.kind !== 'energy') report(`${path}.kind`, 'STREAM.POWER_ONLY_MATERIAL', `${stream.medium} is an energy stream`);
      if (powerW === undefined) report(`${path}.nominal.powerW`, 'STREAM.NOMINAL_MISSING', `${stream.medium} stream needs powerW`);
      if (massFlowKgPerS !== undefined)
        report(`${path}.nominal.massFlowKgPerS`, 'STREAM.MASS_ON_POWER', `${stream.medium} carries no mass`);
    } else if (massFlowKgPerS === undefined) {
      report(`${path}.nominal.massFlowKgPerS`, 'STREAM.NOMINAL_MISSING', `stream "${stream.id}" needs a nominal mass flow`);
    }
    if (composition) {
      const sum = Object.values(composition).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > COMPOSITION_TOLERANCE)
        report(`${path}.nominal.composition`, 'STREAM.COMPOSITION_SUM', `mass fractions sum to ${sum}, not 1`);
    }
  });

  model.tags.forEach((tag, i) => validateTag(tag, `tags[${i}]`, units, streams, claim, report));
  const molarMasses = new Map((model.components ?? []).map((c) => [c.name, c.molarMassKgPerKmol]));
  model.tags.forEach((tag, i) => {
    if (tag.kind === 'composition') validateCompositionBasis(tag, `tags[${i}]`, streams, molarMasses, report);
  });
  const tagsById = new Map(model.tags.map((t) => [t.id, t]));
  model.tags.forEach((tag, i) => {
    if (tag.compensation) validateCompensation(tag, `tags[${i}].compensation`, streams, tagsById, report);
  });
  return issues;
};

const FLOW_KINDS = new Set(['massFlow', 'volumetricFlow', 'normalVolumetricFlow']);

/** A compensated flow tag: a flow of a stream, the fluid's parameters, live tags of the same stream. */
function validateCompensation(tag: Tag, path: string, streams: ReadonlyMap<string, Stream>, tags: ReadonlyMap<string, Tag>, report: (path: string, code: string, message: string) => void): void {
  const c = tag.compensation!;
  if (!FLOW_KINDS.has(tag.kind) || tag.streamId === undefined) {
    report(path, 'TAG.COMPENSATION_NOT_FLOW', 'only flow tags of a stream are compensated');
    return;
  }
  if (c.element === 'linear' && tag.kind === 'massFlow') report(`${path}.element`, 'TAG.COMPENSATION_NOT_NEEDED', 'a linear mass-flow meter (Coriolis) measures mass and needs no compensation');
  if (tag.kind === 'normalVolumetricFlow' && streams.get(tag.streamId)?.nominal.normalDensityKgPerNm3 === undefined)
    report(path, 'TAG.COMPENSATION_NORMAL_DENSITY', `stream "${tag.streamId}" needs nominal.normalDensityKgPerNm3`);
  if (c.fluid === 'gas' && c.molarMassKgPerKmol === undefined) report(`${path}.molarMassKgPerKmol`, 'TAG.COMPENSATION_PARAMETER', 'a gas needs its molar mass');
  if (c.fluid === 'liquid')
    for (const field of ['referenceDensityKgPerM3', 'referenceTemperatureK', 'expansionCoefficientPerK'] as const)
      if (c[field] === undefined) report(`${path}.${field}`, 'TAG.COMPENSATION_PARAMETER', `a liquid needs ${field}`);
  for (const [field, kind] of [['temperatureTagId', 'temperature'], ['pressureTagId', 'pressure']] as const) {
    const id = c[field];
    if (id === undefined) continue;
    const live = tags.get(id);
    if (!live || live.kind !== kind || live.streamId !== tag.streamId)
      report(`${path}.${field}`, 'TAG.COMPENSATION_TAG', `"${id}" must be a ${kind} tag of stream "${tag.streamId}"`);
  }
}

/**
 * A composition tag says whether it reads mass or mole fractions (`%` alone does not: 80 mol% H₂ in
 * a fuel gas is about 25 wt%); a mole-basis tag needs the molar masses of its stream's components,
 * and its range is checked against the nominal mole fraction.
 */
const validateCompositionBasis = (
  tag: Tag,
  path: string,
  streams: ReadonlyMap<string, Stream>,
  molarMasses: ReadonlyMap<string, number>,
  report: (path: string, code: string, message: string) => void,
) => {
  const basis = compositionBasisOf(tag);
  if (basis === undefined) {
    if (isAmbiguousCompositionUnit(tag.unit))
      report(`${path}.compositionBasis`, 'TAG.COMPOSITION_BASIS', `"${tag.unit}" does not say mass or mole: set compositionBasis (mass | mole), or use wt% / mol%`);
    return;
  }
  if (tag.compositionBasis !== undefined && tag.compositionBasis !== basis)
    report(`${path}.compositionBasis`, 'TAG.COMPOSITION_BASIS_CONFLICT', `unit "${tag.unit}" is on a ${basis} basis, not ${tag.compositionBasis}`);
  if (basis !== 'mole' || tag.streamId === undefined) return;
  const composition = streams.get(tag.streamId)?.nominal.composition;
  if (!composition || tag.component === undefined || composition[tag.component] === undefined) return;
  const missing = Object.keys(composition).filter((c) => !molarMasses.has(c));
  if (missing.length > 0) {
    report(`${path}.component`, 'TAG.MOLAR_MASS_MISSING', `a mole-basis tag needs the molar masses of ${missing.join(', ')} (plant model components)`);
    return;
  }
  const x = massToMoleFractions(composition, (c) => molarMasses.get(c))[tag.component]!;
  const minSI = toSI(tag.range.min, tag.unit);
  const maxSI = toSI(tag.range.max, tag.unit);
  if (x < minSI || x > maxSI) report(`${path}.range`, 'TAG.NOMINAL_OUT_OF_RANGE', `nominal mole fraction ${x} lies outside [${minSI}, ${maxSI}]`);
};

const validateTag = (
  tag: Tag,
  path: string,
  units: ReadonlyMap<string, Unit>,
  streams: ReadonlyMap<string, Stream>,
  claim: (kind: string, id: string, path: string) => void,
  report: (path: string, code: string, message: string) => void,
) => {
  claim('tag', tag.id, path);
  const uom = findUnitOfMeasure(tag.unit);
  if (!uom) report(`${path}.unit`, 'TAG.UNKNOWN_UNIT', `unknown unit of measure "${tag.unit}"`);
  else if (!unitFitsTagKind(tag.kind, uom.kind))
    report(`${path}.unit`, 'TAG.UNIT_INCOMPATIBLE', `"${tag.unit}" measures ${uom.kind}, not ${tag.kind}`);
  if (!(tag.range.min < tag.range.max))
    report(`${path}.range`, 'TAG.RANGE_INVERTED', `range min ${tag.range.min} is not below max ${tag.range.max}`);
  if (tag.exception && tag.exception.deadband >= tag.range.max - tag.range.min)
    report(`${path}.exception.deadband`, 'TAG.DEADBAND_TOO_WIDE', 'deadband is not smaller than the span');

  if (tag.kind === 'state' && tag.digitalStates === undefined) report(`${path}.digitalStates`, 'TAG.DIGITAL_STATES_MISSING', 'a state tag lists its digital states');
  if (tag.kind !== 'state' && tag.digitalStates !== undefined) report(`${path}.digitalStates`, 'TAG.DIGITAL_STATES_NOT_STATE', `digital states belong to state tags, not ${tag.kind}`);
  if (tag.digitalStates !== undefined && new Set(tag.digitalStates).size !== tag.digitalStates.length) report(`${path}.digitalStates`, 'TAG.DIGITAL_STATES_DUPLICATE', 'digital state names must be distinct');
  if ((tag.streamId === undefined) === (tag.unitId === undefined)) {
    report(path, 'TAG.TARGET', `tag "${tag.id}" must measure exactly one of streamId or unitId`);
    return;
  }
  if (tag.kind === 'state') return; // a state has no nominal value to check the range against
  const nominalSI = nominalValueSI(tag, units, streams, (p, c, m) => report(`${path}${p}`, c, m));
  if (nominalSI === undefined || !uom || !unitFitsTagKind(tag.kind, uom.kind) || !(tag.range.min < tag.range.max)) return;
  const minSI = toSI(tag.range.min, tag.unit);
  const maxSI = toSI(tag.range.max, tag.unit);
  // a mole-basis composition tag is checked against the mole fraction (validateCompositionBasis)
  if (tag.kind === 'composition' && compositionBasisOf(tag) === 'mole') return;
  // a level in % of height compares the height fraction, not metres, with the range
  const comparable = tag.kind === 'level' && uom.kind === 'fraction' ? levelFraction(tag, units) : nominalSI;
  if (comparable !== undefined && (comparable < minSI || comparable > maxSI))
    report(`${path}.range`, 'TAG.NOMINAL_OUT_OF_RANGE', `nominal value ${comparable} (SI) lies outside [${minSI}, ${maxSI}]`);
  if (tag.uncertainty.basis === 'absolute' && spanToSI(tag.uncertainty.standardDeviation, tag.unit) > maxSI - minSI)
    report(`${path}.uncertainty`, 'TAG.UNCERTAINTY_TOO_LARGE', 'standard deviation exceeds the span');
};

const levelFraction = (tag: Tag, units: ReadonlyMap<string, Unit>): number | undefined => {
  const inventory = units.get(tag.unitId!)?.inventory;
  return inventory ? inventory.nominalLevelM / inventory.heightM : undefined;
};

/** The SI nominal value a tag reads at steady state, reporting what is missing to compute it. */
const nominalValueSI = (
  tag: Tag,
  units: ReadonlyMap<string, Unit>,
  streams: ReadonlyMap<string, Stream>,
  report: (relativePath: string, code: string, message: string) => void,
): number | undefined => {
  if (tag.unitId !== undefined) {
    const unit = units.get(tag.unitId);
    if (!unit) {
      report('.unitId', 'TAG.UNKNOWN_UNIT_REF', `tag references unknown unit "${tag.unitId}"`);
      return undefined;
    }
    switch (tag.kind) {
      case 'level':
        if (!unit.inventory) report('.unitId', 'TAG.NO_INVENTORY', `unit "${unit.id}" has no inventory to measure a level of`);
        return unit.inventory?.nominalLevelM;
      case 'temperature':
      case 'pressure': {
        const value = tag.kind === 'temperature' ? unit.operating?.temperatureK : unit.operating?.pressurePa;
        if (value === undefined) report('.unitId', 'TAG.NOMINAL_MISSING', `unit "${unit.id}" has no operating ${tag.kind}`);
        return value;
      }
      default:
        report('.kind', 'TAG.KIND_ON_UNIT', `a ${tag.kind} tag measures a stream, not a unit`);
        return undefined;
    }
  }
  const stream = streams.get(tag.streamId!);
  if (!stream) {
    report('.streamId', 'TAG.UNKNOWN_STREAM', `tag references unknown stream "${tag.streamId}"`);
    return undefined;
  }
  const n = stream.nominal;
  const need = <T>(value: T | undefined, field: string): T | undefined => {
    if (value === undefined) report('.streamId', 'TAG.NOMINAL_MISSING', `stream "${stream.id}" has no nominal ${field}`);
    return value;
  };
  switch (tag.kind) {
    case 'massFlow':
      return need(n.massFlowKgPerS, 'massFlowKgPerS');
    case 'volumetricFlow': {
      const density = need(n.densityKgPerM3, 'densityKgPerM3');
      const mass = need(n.massFlowKgPerS, 'massFlowKgPerS');
      return density === undefined || mass === undefined ? undefined : mass / density;
    }
    case 'normalVolumetricFlow': {
      const density = need(n.normalDensityKgPerNm3, 'normalDensityKgPerNm3');
      const mass = need(n.massFlowKgPerS, 'massFlowKgPerS');
      return density === undefined || mass === undefined ? undefined : mass / density;
    }
    case 'temperature':
      return need(n.temperatureK, 'temperatureK');
    case 'pressure':
      return need(n.pressurePa, 'pressurePa');
    case 'power':
      return need(n.powerW, 'powerW');
    case 'specificEnthalpy':
      return need(n.specificEnthalpyJPerKg, 'specificEnthalpyJPerKg');
    case 'density':
      return need(n.densityKgPerM3, 'densityKgPerM3');
    case 'composition': {
      if (tag.component === undefined) {
        report('.component', 'TAG.COMPONENT_MISSING', 'a composition tag names its component');
        return undefined;
      }
      const fraction = n.composition?.[tag.component];
      if (fraction === undefined)
        report('.component', 'TAG.UNKNOWN_COMPONENT', `stream "${stream.id}" has no component "${tag.component}"`);
      return fraction;
    }
    case 'level':
      report('.kind', 'TAG.KIND_ON_STREAM', 'a level tag measures a tank or holder (unitId), not a stream');
      return undefined;
  }
};
