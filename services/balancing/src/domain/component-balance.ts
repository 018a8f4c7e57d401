import { carriesMass, nominalMassFraction, type PlantGraph } from '@reflux/plant-model';
import { reconcileNonlinear, type NonlinearResult, type NonlinearVariable } from '@reflux/reconciliation';
import { testSummary, type GrossErrorRecord, type TestSummary } from './balance-findings';
import { planComponentBalances, type PlannedComponentBalance } from './component-balance.plan';
import type { PlantNetwork } from './plant-network.mapper';
import type { TagAverage } from './tag-average';
import { averageReader, combineEstimates, type AverageSelection } from './tag-conversion';
import { biasInTagUnit, compositionReader, type MassFractionReading } from './composition-reading';

/** Mass fraction of one component in one stream, kg/kg. */
export interface CompositionRecord {
  readonly streamId: string;
  readonly component: string;
  /** Composition tags whose averages went into the measurement (all of the stream's tags for the component when none did). */
  readonly tagIds: readonly string[];
  readonly measured: boolean;
  readonly measuredFraction: number | null;
  /** Reconciled (measured) or estimated (unmeasured) fraction; null when unobservable. */
  readonly reconciledFraction: number | null;
  readonly sigmaFraction: number | null;
  readonly adjustmentFraction: number | null;
  readonly measurementTest: number | null;
  readonly classification: 'redundant' | 'nonredundant' | 'observable' | 'unobservable';
  /** The analyser was identified as biased and left out of the final reconciliation. */
  readonly grossError: boolean;
}

/** Component balance of one unit: Σ in F·w − Σ out F·w, kg/s of the component. */
export interface ComponentClosureRecord {
  readonly unitId: string;
  readonly component: string;
  /** From raw flows and analysers (outlets of a well-mixed unit without an analyser take the mixed reading); null when something is unmeasured. */
  readonly imbalanceBeforeKgPerS: number | null;
  /** From reconciled values; null when a term is unobservable. */
  readonly imbalanceAfterKgPerS: number | null;
  /** Reconciled component inflow and outflow, kg/s. */
  readonly inflowKgPerS: number | null;
  readonly outflowKgPerS: number | null;
  /** imbalance / component inflow. */
  readonly closureBeforeRatio: number | null;
  readonly closureAfterRatio: number | null;
}

/** Bilinear reconciliation of the component balances (flow × mass fraction) with the mass balances of the same units. */
export interface ComponentBalanceRecord {
  readonly unitIds: readonly string[];
  readonly components: readonly string[];
  /** On the raw measurements, and after the biased instruments were left out. */
  readonly globalTest: TestSummary;
  readonly globalTestAfter: TestSummary;
  readonly measurementTestCritical: number | null;
  readonly compositions: readonly CompositionRecord[];
  readonly closures: readonly ComponentClosureRecord[];
  /** Reconciled flows of the streams in these balances, kg/s (they also carry the analysers' information). */
  readonly flows: readonly { readonly streamId: string; readonly reconciledKgPerS: number | null; readonly sigmaKgPerS: number | null }[];
  readonly iterations: number;
}

export interface ComponentBalanceOptions extends AverageSelection {
  readonly alpha: number;
  /** Streams whose meter the mass balance identified as biased: unmeasured here. */
  readonly biasedFlowStreamIds?: ReadonlySet<string>;
  /** Starting values of unmeasured flows (the mass balance's estimates), kg/s. */
  readonly flowEstimates?: ReadonlyMap<string, number | null>;
  /**
   * Losses (positive) or gains the mass balance found at units, kg/s: such a unit gets an unmeasured
   * loss flow in its mass and component balances, leaving with the composition of its (first)
   * outlet when its outlets share one, else with a composition of its own — otherwise the missing
   * mass would show as an inconsistent analyser.
   */
  readonly unitLosses?: ReadonlyMap<string, number>;
  /** Serial elimination: at most this many instruments are left out. Default 3. */
  readonly maxEliminations?: number;
}

export interface ComponentBalanceOutcome {
  readonly record?: ComponentBalanceRecord;
  /** Analysers identified as biased, as gross errors on their tags. */
  readonly grossErrors: readonly GrossErrorRecord[];
  readonly warnings: readonly string[];
}

type Term = { readonly index: number } | { readonly constant: number };

/** Mass fractions are reconciled within [0, 1]. */
const FRACTION_BOUNDS = { lower: 0, upper: 1 } as const;

/**
 * Component balances of the units the plant model allows (`planComponentBalances`), reconciled
 * together with the mass balances of those units in one bilinear problem: variables are the mass
 * flows of their streams (from the meters, as in the mass balance, except meters the mass balance
 * found biased) and the mass fractions (from the analysers; a component absent from a declared
 * composition is a known zero); equations are Σ±F = 0 and Σ±F·w = 0 per unit and, for well-mixed
 * units, w(outlet) = w(first outlet). Solved by successive linearisation; unmeasured fractions are
 * estimated where observable; a biased analyser is identified by serial elimination on the
 * measurement test and reported as a gross error on its tag, with the bias in kg/kg, in the tag's
 * unit and as component mass flow (F̂·Δw). Undefined record when the model plans no balance.
 */
export function componentBalance(
  graph: PlantGraph,
  mapping: PlantNetwork,
  averages: ReadonlyMap<string, TagAverage>,
  options: ComponentBalanceOptions,
): ComponentBalanceOutcome {
  const planned = planComponentBalances(graph);
  const warnings: string[] = [];
  if (planned.length === 0) return { grossErrors: [], warnings };

  const variables: NonlinearVariable[] = [];
  const addVariable = (v: NonlinearVariable): number => variables.push(v) - 1;

  // flows of every mass-carrying stream at a balanced unit
  const unitIds = [...new Set(planned.map((p) => p.unitId))];
  const flowIndex = new Map<string, number>();
  const flowMappings = new Map(mapping.streams.map((s) => [s.streamId, s]));
  for (const unitId of unitIds)
    for (const s of [...graph.streamsIn(unitId), ...graph.streamsOut(unitId)].filter(carriesMass)) {
      if (flowIndex.has(s.id)) continue;
      const m = flowMappings.get(s.id);
      const measured = m?.measured === true && !options.biasedFlowStreamIds?.has(s.id);
      const initial = options.flowEstimates?.get(s.id) ?? m?.valueKgPerS ?? s.nominal.massFlowKgPerS ?? 1;
      flowIndex.set(s.id, addVariable(measured ? { id: `${s.id}.flow`, measured: true, value: m!.valueKgPerS!, sigma: m!.sigmaKgPerS! } : { id: `${s.id}.flow`, measured: false, initial }));
    }

  // mass fractions
  const { usable, sigmaOf } = averageReader(averages, options, warnings);
  const analysers = compositionReader(graph, usable, sigmaOf, warnings);
  const fractions = new Map<string, { term: Term; streamId: string; component: string; tagIds: string[]; usedTagIds: string[]; readings: MassFractionReading[] }>();
  const fractionKey = (streamId: string, component: string) => `${streamId}\u0000${component}`;
  const fractionTerm = (streamId: string, component: string): Term => {
    const key = fractionKey(streamId, component);
    const known = fractions.get(key);
    if (known) return known.term;
    const stream = graph.stream(streamId);
    const declared = nominalMassFraction(stream, component) ?? 0;
    const tags = graph.tagsOfStream(streamId).filter((t) => t.kind === 'composition' && t.component === component);
    const readings: { value: number; sigma: number }[] = [];
    const usedTagIds: string[] = [];
    const used: MassFractionReading[] = [];
    for (const tag of tags) {
      const a = usable(tag);
      if (!a) continue;
      const reading = analysers.read(tag, a);
      if (!reading) continue;
      if (!(reading.sigma > 0)) {
        warnings.push(`tag ${tag.id}: zero uncertainty; not used`);
        continue;
      }
      readings.push(reading);
      usedTagIds.push(tag.id);
      used.push(reading);
    }
    let term: Term;
    if (readings.length > 0) {
      const combined = combineEstimates(readings);
      term = { index: addVariable({ id: `${streamId}.w.${component}`, measured: true, value: combined.value, sigma: combined.sigma, ...FRACTION_BOUNDS }) };
    } else if (declared === 0 && stream.nominal.composition !== undefined && !(component in stream.nominal.composition)) term = { constant: 0 };
    else term = { index: addVariable({ id: `${streamId}.w.${component}`, measured: false, initial: declared, ...FRACTION_BOUNDS }) };
    fractions.set(key, { term, streamId, component, tagIds: tags.map((t) => t.id), usedTagIds, readings: used });
    return term;
  };

  interface Row {
    readonly id: string;
    readonly terms: readonly { readonly sign: number; readonly flow?: number; readonly fraction?: Term }[];
  }
  const rows: Row[] = [];
  // the mass balance's losses at these units, as unmeasured flows out
  const lossIndex = new Map<string, number>();
  for (const unitId of unitIds) {
    const loss = options.unitLosses?.get(unitId);
    if (loss !== undefined) lossIndex.set(unitId, addVariable({ id: `${unitId}.loss`, measured: false, initial: loss }));
  }
  const lossFraction = (p: PlannedComponentBalance): Term => {
    const outlets = graph.streamsOut(p.unitId).filter(carriesMass);
    if (p.outletsShared && outlets.length > 0) return fractionTerm(outlets[0].id, p.component);
    return { index: addVariable({ id: `${p.unitId}.loss.w.${p.component}`, measured: false, initial: 0, ...FRACTION_BOUNDS }) };
  };
  for (const unitId of unitIds) {
    const signed = [
      ...graph.streamsIn(unitId).filter(carriesMass).map((s) => ({ s, sign: 1 })),
      ...graph.streamsOut(unitId).filter(carriesMass).map((s) => ({ s, sign: -1 })),
    ];
    const loss = lossIndex.get(unitId);
    rows.push({ id: `${unitId}.mass`, terms: [...signed.map(({ s, sign }) => ({ sign, flow: flowIndex.get(s.id)! })), ...(loss !== undefined ? [{ sign: -1, flow: loss }] : [])] });
  }
  for (const p of planned) {
    const signed = [
      ...graph.streamsIn(p.unitId).filter(carriesMass).map((s) => ({ s, sign: 1 })),
      ...graph.streamsOut(p.unitId).filter(carriesMass).map((s) => ({ s, sign: -1 })),
    ];
    const loss = lossIndex.get(p.unitId);
    rows.push({
      id: `${p.unitId}.${p.component}`,
      terms: [
        ...signed.map(({ s, sign }) => ({ sign, flow: flowIndex.get(s.id)!, fraction: fractionTerm(s.id, p.component) })),
        ...(loss !== undefined ? [{ sign: -1, flow: loss, fraction: lossFraction(p) }] : []),
      ],
    });
    if (p.outletsShared) {
      const outlets = graph.streamsOut(p.unitId).filter(carriesMass);
      const reference = fractionTerm(outlets[0].id, p.component);
      for (const outlet of outlets.slice(1))
        rows.push({ id: `${p.unitId}.${p.component}.${outlet.id}`, terms: [{ sign: 1, fraction: fractionTerm(outlet.id, p.component) }, { sign: -1, fraction: reference }] });
    }
  }

  const valueOf = (z: readonly number[], t: Term): number => ('index' in t ? z[t.index] : t.constant);
  const constraints = {
    ids: rows.map((r) => r.id),
    evaluate: (z: readonly number[]) =>
      rows.map((row) =>
        row.terms.reduce((sum, t) => sum + t.sign * (t.flow !== undefined ? z[t.flow] : 1) * (t.fraction !== undefined ? valueOf(z, t.fraction) : 1), 0),
      ),
    jacobian: (z: readonly number[]) =>
      rows.map((row) => {
        const r = new Array<number>(variables.length).fill(0);
        for (const t of row.terms) {
          const w = t.fraction !== undefined ? valueOf(z, t.fraction) : 1;
          const F = t.flow !== undefined ? z[t.flow] : 1;
          if (t.flow !== undefined) r[t.flow] += t.sign * w;
          if (t.fraction !== undefined && 'index' in t.fraction) r[t.fraction.index] += t.sign * F;
        }
        return r;
      }),
  };

  // Serial elimination only runs when the test of all measurements rejects (initialGlobalTest).
  let after: NonlinearResult;
  try {
    after = reconcileNonlinear(variables, constraints, { alpha: options.alpha, maxEliminations: options.maxEliminations ?? 3 });
  } catch (error) {
    warnings.push(`component balances not reconciled: ${(error as Error).message}`);
    return { grossErrors: [], warnings };
  }

  const results = after.variables;
  const eliminated = new Set(after.grossErrors.map((g) => g.id));
  const compositions: CompositionRecord[] = [];
  const grossErrors: GrossErrorRecord[] = [];
  for (const f of fractions.values()) {
    if (!('index' in f.term)) continue;
    const v = variables[f.term.index];
    const r = results[f.term.index];
    const biased = eliminated.has(v.id);
    compositions.push({
      streamId: f.streamId,
      component: f.component,
      tagIds: f.usedTagIds.length > 0 ? f.usedTagIds : f.tagIds,
      measured: v.measured,
      measuredFraction: v.measured ? (v.value ?? null) : null,
      reconciledFraction: r.reconciled,
      sigmaFraction: r.sigma,
      adjustmentFraction: v.measured && r.reconciled !== null ? r.reconciled - (v.value as number) : null,
      measurementTest: biased ? (after.grossErrors.find((g) => g.id === v.id)?.measurementTest ?? null) : r.measurementTest,
      classification: biased ? 'redundant' : r.classification,
      grossError: biased,
    });
  }
  for (const g of after.grossErrors) {
    const fraction = [...fractions.values()].find((f) => 'index' in f.term && variables[f.term.index].id === g.id);
    if (!fraction) {
      warnings.push(`component balances: flow ${g.id.replace(/\.flow$/, '')} left out as inconsistent with the analysers (measurement test ${g.measurementTest.toFixed(2)}); the mass balance decides on flow meters`);
      continue;
    }
    const tagId = fraction.usedTagIds[0];
    const tag = graph.tag(tagId);
    const flow = results[flowIndex.get(fraction.streamId)!].reconciled;
    const reconciledFraction = results[(fraction.term as { index: number }).index].reconciled;
    const bias = g.magnitude ?? 0;
    const sigma = g.sigma ?? 0;
    grossErrors.push({
      tagId,
      streamId: fraction.streamId,
      component: fraction.component,
      biasMassFraction: bias,
      sigmaMassFraction: sigma,
      biasKgPerS: flow === null ? 0 : flow * bias,
      sigmaKgPerS: flow === null ? 0 : Math.abs(flow) * sigma,
      // the first analyser's reading (several on one stream and component are averaged before)
      biasTagUnit: biasInTagUnit(tag, fraction.readings[0], bias),
      tagUnit: tag.unit,
      relativePercent: reconciledFraction !== null && reconciledFraction !== 0 ? (100 * bias) / reconciledFraction : null,
      testStatistic: g.measurementTest,
      criticalValue: after.measurementTestCritical,
      equivalentIds: [],
    });
  }

  // closures
  const raw = (streamId: string, component: string, p: PlannedComponentBalance): number | null => {
    const f = fractions.get(fractionKey(streamId, component))!;
    if (!('index' in f.term)) return f.term.constant;
    const v = variables[f.term.index];
    if (v.measured) return v.value as number;
    if (!p.outletsShared || graph.stream(streamId).from !== p.unitId) return null;
    // an outlet of a well-mixed unit without its own analyser: the mixed reading of the other outlets
    const readings = graph
      .streamsOut(p.unitId)
      .filter(carriesMass)
      .map((s) => fractions.get(fractionKey(s.id, component))!.term)
      .filter((t): t is { index: number } => 'index' in t && variables[t.index].measured)
      .map((t) => ({ value: variables[t.index].value as number, sigma: variables[t.index].sigma as number }));
    return readings.length > 0 ? combineEstimates(readings).value : null;
  };
  const reconciledFraction = (streamId: string, component: string): number | null => {
    const t = fractions.get(fractionKey(streamId, component))!.term;
    return 'index' in t ? results[t.index].reconciled : t.constant;
  };
  const closures: ComponentClosureRecord[] = planned.map((p) => {
    const side = (streams: readonly { id: string }[], fraction: (id: string) => number | null, flow: (id: string) => number | null): number | null => {
      let total = 0;
      for (const s of streams) {
        const F = flow(s.id);
        const w = fraction(s.id);
        if (F === null || w === null) return null;
        total += F * w;
      }
      return total;
    };
    const inlets = graph.streamsIn(p.unitId).filter(carriesMass);
    const outlets = graph.streamsOut(p.unitId).filter(carriesMass);
    const rawFlow = (id: string) => {
      const v = variables[flowIndex.get(id)!];
      return v.measured ? (v.value as number) : null;
    };
    const reconciledFlow = (id: string) => results[flowIndex.get(id)!].reconciled;
    const inRaw = side(inlets, (id) => raw(id, p.component, p), rawFlow);
    const outRaw = side(outlets, (id) => raw(id, p.component, p), rawFlow);
    const inflow = side(inlets, (id) => reconciledFraction(id, p.component), reconciledFlow);
    const outflow = side(outlets, (id) => reconciledFraction(id, p.component), reconciledFlow);
    const imbalanceBefore = inRaw !== null && outRaw !== null ? inRaw - outRaw : null;
    const imbalanceAfter = inflow !== null && outflow !== null ? inflow - outflow : null;
    const ratio = (imbalance: number | null, basis: number | null) => (imbalance !== null && basis !== null && basis > 0 ? imbalance / basis : null);
    return {
      unitId: p.unitId,
      component: p.component,
      imbalanceBeforeKgPerS: imbalanceBefore,
      imbalanceAfterKgPerS: imbalanceAfter,
      inflowKgPerS: inflow,
      outflowKgPerS: outflow,
      closureBeforeRatio: ratio(imbalanceBefore, inRaw),
      closureAfterRatio: ratio(imbalanceAfter, inflow),
    };
  });

  return {
    grossErrors,
    warnings,
    record: {
      unitIds,
      components: [...new Set(planned.map((p) => p.component))].sort(),
      globalTest: testSummary(after.initialGlobalTest),
      globalTestAfter: testSummary(after.globalTest),
      measurementTestCritical: Number.isFinite(after.measurementTestCritical) && after.globalTest.dof > 0 ? after.measurementTestCritical : null,
      compositions,
      closures,
      flows: [...flowIndex].map(([streamId, i]) => ({ streamId, reconciledKgPerS: results[i].reconciled, sigmaKgPerS: results[i].sigma })),
      iterations: after.iterations,
    },
  };
}

