import { carriesMass, conservesComponent, outletsShareComposition, type PlantGraph } from '@reflux/plant-model';
import type { ProcessState } from './process-state';

/** Mass fractions (kg/kg) of every stream that declares a composition, by stream id. */
export type StreamCompositions = ReadonlyMap<string, Readonly<Record<string, number>>>;

/**
 * Compositions consistent with the flows of a process state: every stream starts from its nominal
 * composition; the outlets of a well-mixed unit that conserves components (a fuel-gas drum, a
 * compressor) leave with the mass-weighted mix of its inlets at the state's flows, passed on
 * downstream through further such units. At the nominal flows scaled by the production rate this
 * is the nominal composition; when one feed of the drum trips or leaks, the mix follows, so the
 * analysers keep the component balances closed.
 */
export function streamCompositionsAt(graph: PlantGraph, state: ProcessState): StreamCompositions {
  const compositions = new Map<string, Record<string, number>>();
  for (const s of graph.streams()) if (s.nominal.composition) compositions.set(s.id, { ...s.nominal.composition });
  const mixers = graph.units().filter((u) => outletsShareComposition(u) && !u.inventory);
  // a chain of mixers settles within as many passes as it has units
  for (let pass = 0; pass < mixers.length; pass++) {
    let changed = false;
    for (const unit of mixers) {
      const inlets = graph.streamsIn(unit.id).filter(carriesMass);
      const outlets = graph.streamsOut(unit.id).filter(carriesMass);
      if (inlets.length === 0 || outlets.length === 0 || [...inlets, ...outlets].some((s) => !compositions.has(s.id))) continue;
      const total = inlets.reduce((sum, s) => sum + (state.massFlowKgPerS.get(s.id) ?? 0), 0);
      if (!(total > 0)) continue;
      const mixed: Record<string, number> = {};
      for (const s of inlets) {
        const share = (state.massFlowKgPerS.get(s.id) ?? 0) / total;
        for (const [component, w] of Object.entries(compositions.get(s.id)!)) mixed[component] = (mixed[component] ?? 0) + share * w;
      }
      for (const outlet of outlets) {
        const current = compositions.get(outlet.id)!;
        const next: Record<string, number> = {};
        // a component the unit does not conserve keeps its nominal fraction (reactions are not simulated)
        for (const component of new Set([...Object.keys(current), ...Object.keys(mixed)]))
          next[component] = conservesComponent(unit, component) ? (mixed[component] ?? 0) : (current[component] ?? 0);
        if (Object.keys(next).some((c) => Math.abs(next[c] - (current[c] ?? 0)) > 1e-15)) changed = true;
        compositions.set(outlet.id, next);
      }
    }
    if (!changed) break;
  }
  return compositions;
}
