import { carriesMass, componentsAtUnit, conservesComponent, outletsShareComposition, type PlantGraph } from '@reflux/plant-model';

/** One component balance Σ in F·w − Σ out F·w = 0 over one unit. */
export interface PlannedComponentBalance {
  readonly unitId: string;
  readonly component: string;
  /** The unit's outlets leave with one composition (extra equations w_outlet = w_first outlet). */
  readonly outletsShared: boolean;
}

/**
 * Which component balances the plant model allows, independent of the data of a window: a unit
 * gets a balance for component c when it conserves c (`conservesComponent`: non-reactive type or
 * listed in `conservedComponents`, no inventory), every mass-carrying stream it has declares a
 * composition (a stream with an undeclared composition holds an unknown amount of c, which no
 * analyser elsewhere can bound), and at least one of those streams carries a composition tag for c.
 * A component missing from a declared composition is a known zero.
 */
export function planComponentBalances(graph: PlantGraph): PlannedComponentBalance[] {
  const specs: PlannedComponentBalance[] = [];
  for (const unit of graph.units()) {
    const streams = [...graph.streamsIn(unit.id), ...graph.streamsOut(unit.id)].filter(carriesMass);
    if (streams.length === 0 || streams.some((s) => s.nominal.composition === undefined)) continue;
    const analysed = new Set(streams.flatMap((s) => graph.tagsOfStream(s.id).filter((t) => t.kind === 'composition' && t.component !== undefined).map((t) => t.component as string)));
    for (const component of componentsAtUnit(graph, unit.id)) {
      if (!analysed.has(component) || !conservesComponent(unit, component)) continue;
      specs.push({ unitId: unit.id, component, outletsShared: outletsShareComposition(unit) && graph.streamsOut(unit.id).filter(carriesMass).length > 1 });
    }
  }
  return specs;
}
