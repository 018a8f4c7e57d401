import { carriesMass, toSI, type PlantGraph, type Stream } from '@reflux/plant-model';
import type { EnergyRecord, HeaderRecord, UnitClosureRecord } from './balance-record';
import type { TagAverage } from './tag-average';

/** J/kg per GJ/t. */
const J_PER_KG_PER_GJ_PER_T = 1e6;

/** Media bought as energy: their flows into the plant make up the energy import. */
export const ENERGY_CARRIER_MEDIA: ReadonlySet<string> = new Set(['electricity', 'steam', 'naturalGas', 'fuelGas', 'fuelOil', 'hotWater']);
/** Media sold as energy, when the stream leaving the plant is named an export (`mp-export`, `el-grid-export`). */
export const EXPORTED_MEDIA: ReadonlySet<string> = new Set(['electricity', 'steam', 'hotWater']);
const EXPORT_NAME = /export/i;

/** Boundary outlets that are emissions or waste, not product: left out of the product tonnage. */
export const NON_PRODUCT_MEDIA: ReadonlySet<string> = new Set(['sourWater', 'acidGas', 'flueGas', 'slag', 'dust', 'scale', 'water', 'wasteWater', 'sludge']);

/**
 * Energy figures of a window from reconciled mass flows, the plant model's nominal specific
 * enthalpies (fuels at lower heating value) and measured power:
 * - energy import: energy carriers (ENERGY_CARRIER_MEDIA) entering across the plant boundary;
 *   export: steam, hot water and electricity leaving it on a stream named an export — mass-carrying
 *   ones as reconciled flow × specific enthalpy, power streams from their power tag's window
 *   average; a carrier without a known value is left out;
 * - product: material streams leaving across the boundary, emissions and waste excluded;
 * - specific energy consumption = import / product, GJ/t (null when either is unknown); exports
 *   are reported beside it, not credited (a site exporting steam raised from its own off-gas
 *   would otherwise show a negative consumption);
 * - the mass balance of each header (steam, fuel gas) before and after reconciliation.
 */
export function energyFigures(
  graph: PlantGraph,
  reconciled: ReadonlyMap<string, number | null>,
  averages: ReadonlyMap<string, TagAverage>,
  closures: readonly UnitClosureRecord[],
): EnergyRecord {
  const energyOf = (stream: Stream): number | null => {
    if (carriesMass(stream)) {
      const flow = reconciled.get(stream.id);
      const h = stream.nominal.specificEnthalpyJPerKg;
      return flow === undefined || flow === null || h === undefined ? null : flow * h;
    }
    const powerTag = graph.tagsOfStream(stream.id).find((t) => t.kind === 'power' && averages.has(t.id));
    return powerTag ? toSI(averages.get(powerTag.id)!.value, powerTag.unit) : null;
  };

  // Heat losses and electricity to loads outside the model also leave the boundary: not exports.
  const carriers = graph
    .streams()
    .filter(
      (s) =>
        (s.from === null && s.to !== null && ENERGY_CARRIER_MEDIA.has(s.medium)) ||
        (s.to === null && s.from !== null && EXPORTED_MEDIA.has(s.medium) && (EXPORT_NAME.test(s.id) || EXPORT_NAME.test(s.name))),
    );
  let energyImportW: number | null = null;
  let energyExportW: number | null = null;
  for (const s of carriers) {
    const e = energyOf(s);
    if (e === null) continue;
    if (s.from === null) energyImportW = (energyImportW ?? 0) + e;
    else energyExportW = (energyExportW ?? 0) + e;
  }

  const products = graph
    .streams()
    .filter((s) => s.kind === 'material' && s.to === null && s.from !== null && !NON_PRODUCT_MEDIA.has(s.medium))
    .map((s) => reconciled.get(s.id) ?? null);
  const productKgPerS = products.length > 0 && products.every((p) => p !== null) ? (products as number[]).reduce((a, b) => a + b, 0) : null;
  const specificEnergyGjPerT = energyImportW !== null && productKgPerS !== null && productKgPerS > 0 ? energyImportW / productKgPerS / J_PER_KG_PER_GJ_PER_T : null;

  const closureById = new Map(closures.map((c) => [c.unitId, c]));
  const headers: HeaderRecord[] = graph
    .units()
    .filter((u) => u.type === 'header' && closureById.has(u.id))
    .map((u) => {
      const inbound = graph.streamsIn(u.id).filter(carriesMass);
      const outbound = graph.streamsOut(u.id).filter(carriesMass);
      const closure = closureById.get(u.id)!;
      const supplyEnergy = inbound.map(energyOf);
      return {
        unitId: u.id,
        medium: dominantMedium([...inbound, ...outbound]),
        supplyKgPerS: closure.inflowKgPerS,
        consumptionKgPerS: closure.outflowKgPerS,
        imbalanceBeforeKgPerS: closure.imbalanceBeforeKgPerS,
        imbalanceAfterKgPerS: closure.imbalanceAfterKgPerS,
        supplyEnergyW: supplyEnergy.every((e) => e !== null) && supplyEnergy.length > 0 ? (supplyEnergy as number[]).reduce((a, b) => a + b, 0) : null,
      };
    });
  return { energyImportW, energyExportW, productKgPerS, specificEnergyGjPerT, headers };
}

function dominantMedium(streams: readonly Stream[]): string {
  const counts = new Map<string, number>();
  for (const s of streams) counts.set(s.medium, (counts.get(s.medium) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'unknown';
}
