import { type CompiledModel, withChanges } from '../network/compiled-model';
import { chiSquareQuantile, chiSquareSurvival } from '../stats/chi-square';
import { type LinearSolution, solveLinear } from './linear-solution';
import type { TestResult } from './reconciliation-result.types';

/** One gross-error hypothesis: a bias in a measured variable, or a leak (loss) at a node. */
export interface Hypothesis {
  readonly kind: 'bias' | 'leak';
  /** Variable index (bias) or node index (leak). */
  readonly target: number;
  readonly label: string;
  readonly glr: number;
  /** GLR estimate of the magnitude and its sigma, given the other errors compensated. */
  readonly estimate: number;
  readonly sigma: number;
}

export interface IdentifiedError {
  readonly h: Hypothesis;
  /** Šidák-corrected χ²(1) critical value over the hypotheses tested alongside it. */
  readonly critical: number;
  /** Hypotheses with the same statistic (the same signature): indistinguishable from this one. */
  readonly equivalent: string[];
}

export interface IdentificationOptions {
  readonly alpha: number;
  readonly maxEliminations: number;
  readonly leaks: boolean;
  /** Also hypothesise gains at nodes (an inflow missing from the model), not only losses. */
  readonly gains?: boolean;
  readonly unmeasuredSigmas: boolean;
  readonly detection: 'global' | 'global-or-glr';
}

export interface Identification {
  /** In the order they were first accepted; GLR, critical value and equivalents given the others. */
  readonly errors: readonly IdentifiedError[];
  readonly removedBiases: readonly number[];
  readonly leakNodes: readonly number[];
  /** The model with every identified error compensated, and its solution and global test. */
  readonly model: CompiledModel;
  readonly solution: LinearSolution;
  readonly global: TestResult;
}

type Key = string;
/** Hypotheses tried in place of a pair of accepted errors (the strongest given the rest). */
const MERGE_CANDIDATES = 12;
const keyOf = (h: { kind: 'bias' | 'leak'; target: number }): Key => `${h.kind}:${h.target}`;

interface Context {
  readonly model: CompiledModel;
  readonly solution: LinearSolution;
  readonly global: TestResult;
  /** Candidate hypotheses, best first (ties ordered by preference), with the best one's critical value. */
  readonly ranked: readonly Hypothesis[];
  readonly critical: number;
}

/**
 * Gross-error identification by serial compensation with backward pruning and exchange.
 *
 * 1. Forward selection: while the global test rejects (or, with `global-or-glr`, while the largest
 *    GLR statistic beats its Šidák-corrected χ²(1) threshold), accept the hypothesis with the largest
 *    GLR and compensate it (a biased meter becomes unmeasured, a leak an unmeasured flow to the
 *    boundary).
 * 2. Refinement, once two or more errors are accepted and the balances of two of them touch (share
 *    a balance or are one stream apart; greedy selection can split one error into two: a leak next
 *    to a meter whose bias looks almost the same is taken as that bias, and the rest of the loss as
 *    a second error). Errors far apart are left as accepted: nothing local could merge or replace
 *    them, and the refinement costs a solve per error:
 *    - pruning: an accepted error without which the others already explain the data (the forward
 *      step would have stopped there) is dropped, the least significant first;
 *    - merging: two accepted errors are replaced by one hypothesis that explains the data with the
 *      rest (a leak labelled at the neighbouring node of a merged balance group, plus the bias of
 *      the meter between them, is one leak);
 *    - exchange: each accepted error is replaced by the best hypothesis given the others when that
 *      one has the larger GLR statistic. Every exchange lowers the global statistic by the gain in
 *      GLR (the GLR statistic is the drop of the objective when the error is compensated), so it
 *      cannot cycle.
 *    They repeat until nothing changes: the result is a set from which no error can be left out, no
 *    two can be merged and none improved alone — the smaller explanation wins over a split one.
 * Hypotheses with the same statistic (equivalent: the same signature in the balances, N&J ch. 7) are
 * listed with the chosen one, which is the kind with fewer members among them (see `rank`).
 */
export function identifyGrossErrors(base: CompiledModel, initial: LinearSolution, initialGlobal: TestResult, options: IdentificationOptions): Identification {
  // Whether the data hold any gross error at all is asked twice with `global-or-glr` (global test,
  // largest GLR): each question gets half of α (Bonferroni), so a window without any gross error
  // raises a false alarm with probability at most α. Once one error is accepted, further ones are
  // looked for at α as before.
  const detectionAlpha = options.detection === 'global' ? options.alpha : options.alpha / 2;
  const contexts = new Map<Key, Context>();
  const contextOf = (set: readonly Hypothesis[]): Context => {
    const key = canonical(set).map(keyOf).join(',');
    let context = contexts.get(key);
    if (!context) {
      // the same order as `compensated`, which locates the leak edges in the model
      const { removedBiases: biases, leakNodes } = compensated(set);
      const model = set.length === 0 ? base : withChanges(base, biases, leakNodes);
      const solution = set.length === 0 ? initial : solveLinear(model, { unmeasuredSigmas: options.unmeasuredSigmas });
      const global = set.length === 0 ? initialGlobal : globalTest(solution, options.alpha);
      const ranked = rank(candidateHypotheses(model, solution, options.leaks, leakNodes, options.gains === true));
      const critical = chiSquareQuantile(1 - sidak(set.length === 0 ? detectionAlpha : options.alpha, Math.max(1, ranked.length)), 1);
      context = { model, solution, global, ranked, critical };
      contexts.set(key, context);
    }
    return context;
  };
  /** Would serial compensation stop here (nothing left to explain)? */
  const globalCritical = new Map<number, number>();
  const globalRejects = (c: Context): boolean => {
    if (detectionAlpha === options.alpha || c.solution !== initial) return c.global.rejected;
    let critical = globalCritical.get(c.solution.dof);
    if (critical === undefined) globalCritical.set(c.solution.dof, (critical = chiSquareQuantile(1 - detectionAlpha, c.solution.dof)));
    return c.global.statistic > critical;
  };
  const explained = (c: Context): boolean =>
    c.solution.dof === 0 || c.ranked.length === 0 || (!globalRejects(c) && !(options.detection !== 'global' && c.ranked[0].glr > c.critical));
  const without = (set: readonly Hypothesis[], i: number): Hypothesis[] => set.filter((_, j) => j !== i);
  /** The statistic of `h` given the errors of `c` compensated (0 when it is not a candidate there). */
  const glrIn = (c: Context, h: Hypothesis): number => c.ranked.find((g) => g.kind === h.kind && g.target === h.target)?.glr ?? 0;

  // Which balances a hypothesis enters: the groups (of the uncompensated model) of its ends, and
  // the groups one stream away. Two errors whose balances do not touch can neither stand in for
  // each other nor be merged into one hypothesis (which enters at most two balances).
  const { group, boundaryGroup } = initial.classification;
  const adjacent = new Map<number, Set<number>>();
  for (let e = 0; e < base.ids.length; e++) {
    const a = group[base.from[e]];
    const b = group[base.to[e]];
    if (a === boundaryGroup || b === boundaryGroup || a === b) continue;
    for (const [x, y] of [[a, b], [b, a]]) {
      const neighbours = adjacent.get(x) ?? new Set<number>();
      neighbours.add(y);
      adjacent.set(x, neighbours);
    }
  }
  const groupsOf = (h: Hypothesis): number[] =>
    (h.kind === 'leak' ? [group[h.target]] : [group[base.from[h.target]], group[base.to[h.target]]]).filter((g) => g !== boundaryGroup);
  /** The balances `b` enters and those one stream away. */
  const nearOf = (b: Hypothesis): ReadonlySet<number> => new Set(groupsOf(b).flatMap((g) => [g, ...(adjacent.get(g) ?? [])]));
  const touchesNear = (a: Hypothesis, near: ReadonlySet<number>): boolean => groupsOf(a).some((g) => near.has(g));
  const touches = (a: Hypothesis, b: Hypothesis): boolean => touchesNear(a, nearOf(b));

  /** Drops the least significant error the others already explain without it. */
  const prune = (set: readonly Hypothesis[]): Hypothesis[] | undefined => {
    let best: { index: number; glr: number } | undefined;
    for (let i = 0; i < set.length; i++) {
      const c = contextOf(without(set, i));
      if (!explained(c)) continue;
      const g = glrIn(c, set[i]);
      if (!best || g < best.glr) best = { index: i, glr: g };
    }
    return best && without(set, best.index);
  };
  /**
   * Replaces two errors by one that explains the data with the rest (a leak split into the leak,
   * labelled at a neighbour, and the bias of the meter between them): among the strongest
   * `MERGE_CANDIDATES` hypotheses given the rest that touch the balances of both, the one that
   * leaves the smallest global statistic.
   */
  const merge = (set: readonly Hypothesis[]): Hypothesis[] | undefined => {
    let best: { set: Hypothesis[]; statistic: number } | undefined;
    for (let i = 0; i < set.length; i++) {
      for (let j = i + 1; j < set.length; j++) {
        if (!touches(set[i], set[j])) continue;
        const rest = set.filter((_, k) => k !== i && k !== j);
        const nearI = nearOf(set[i]);
        const nearJ = nearOf(set[j]);
        const local = contextOf(rest).ranked.filter((h) => touchesNear(h, nearI) && touchesNear(h, nearJ));
        for (const h of local.slice(0, MERGE_CANDIDATES)) {
          const candidate = [...rest, h];
          const c = contextOf(candidate);
          if (explained(c) && (!best || c.global.statistic < best.statistic)) best = { set: [...set.slice(0, i), h, ...set.slice(i + 1)].filter((_, k) => k !== j), statistic: c.global.statistic };
        }
      }
    }
    return best?.set;
  };
  /**
   * Replaces one error by the best hypothesis given the others, when that one is stronger — or
   * equivalent there and preferred (a meter chosen on a draw with one leak becomes that leak once
   * a neighbouring error is compensated and more meters tie with it).
   */
  const exchange = (set: readonly Hypothesis[]): Hypothesis[] | undefined => {
    for (let i = 0; i < set.length; i++) {
      const c = contextOf(without(set, i));
      const best = c.ranked[0];
      if (!best || keyOf(best) === keyOf(set[i])) continue;
      const current = glrIn(c, set[i]);
      // stronger, or equivalent and preferred (the order of `rank` among equal statistics)
      const preferred = c.ranked.some((g) => keyOf(g) === keyOf(set[i]) && ties(g, best));
      if (best.glr > current + 1e-9 * Math.max(1, current) || preferred) return set.map((h, j) => (j === i ? best : h));
    }
    return undefined;
  };

  // 1. forward selection
  let set: Hypothesis[] = [];
  const atAcceptance: IdentifiedError[] = [];
  while (set.length < options.maxEliminations) {
    const c = contextOf(set);
    if (explained(c)) break;
    const best = c.ranked[0];
    set.push(best);
    atAcceptance.push({ h: best, critical: c.critical, equivalent: equivalentsOf(c, best) });
  }
  // Errors whose balances touch no other's are left as accepted (and keep the statistics they were
  // accepted with): nothing else could explain them, and re-solving for each costs a solve each.
  if (!set.some((a, i) => set.some((b, j) => j > i && touches(a, b)))) {
    const final = contextOf(set);
    return { errors: atAcceptance, ...compensated(set), model: final.model, solution: final.solution, global: final.global };
  }

  // 2. pruning, merging and exchange
  for (let round = 0; set.length >= 2 && round < 4 * options.maxEliminations + 4; round++) {
    const reduced = prune(set) ?? merge(set);
    if (reduced) {
      set = reduced;
      continue;
    }
    const exchanged = exchange(set);
    if (!exchanged) break;
    set = exchanged;
  }

  // Statistics of each error given the others, and its equivalents there.
  const errors: IdentifiedError[] = set.map((h, i) => {
    const c = contextOf(without(set, i));
    const self = c.ranked.find((g) => keyOf(g) === keyOf(h)) ?? h;
    return { h: self, critical: c.critical, equivalent: equivalentsOf(c, self) };
  });
  const final = contextOf(set);
  return { errors, ...compensated(set), model: final.model, solution: final.solution, global: final.global };
}

function equivalentsOf(c: { readonly ranked: readonly Hypothesis[] }, h: Hypothesis): string[] {
  return c.ranked.filter((g) => keyOf(g) !== keyOf(h) && ties(g, h)).map((g) => `${g.kind}:${g.label}`);
}

/** The set in one order whatever order it was built in (contexts are cached by it). */
function canonical(set: readonly Hypothesis[]): Hypothesis[] {
  return [...set].sort((a, b) => (a.kind === b.kind ? a.target - b.target : a.kind === 'bias' ? -1 : 1));
}

/** Biased meters and leaking nodes of a set, in the order their model adds the leak edges. */
function compensated(set: readonly Hypothesis[]): { removedBiases: number[]; leakNodes: number[] } {
  const sorted = canonical(set);
  return { removedBiases: sorted.filter((h) => h.kind === 'bias').map((h) => h.target), leakNodes: sorted.filter((h) => h.kind === 'leak').map((h) => h.target) };
}

const ties = (a: Hypothesis, b: Hypothesis): boolean => Math.abs(a.glr - b.glr) <= 1e-9 * Math.max(1, a.glr, b.glr);

/**
 * Largest GLR first. Among equal statistics (equivalent hypotheses, which no balance can tell apart)
 * the kind with fewer members comes first — the one location the data points to: one leak tied
 * with the biases of four meters around it says "this unit's balance does not close" (whichever
 * meter it is, the unit is common to all), one meter tied with leaks at the units of a merged
 * balance group says "this meter". On a draw a bias comes first (instrument failures are the more
 * frequent cause). Then by index, so the order does not depend on rounding.
 */
function rank(hypotheses: Hypothesis[]): Hypothesis[] {
  const byStatistic = [...hypotheses].sort((a, b) => b.glr - a.glr);
  const out: Hypothesis[] = [];
  for (let i = 0; i < byStatistic.length; ) {
    let j = i + 1;
    while (j < byStatistic.length && ties(byStatistic[j], byStatistic[i])) j++;
    const tied = byStatistic.slice(i, j);
    const leaks = tied.filter((h) => h.kind === 'leak').length;
    const first: Hypothesis['kind'] = leaks > 0 && leaks < tied.length - leaks ? 'leak' : 'bias';
    out.push(...tied.sort((a, b) => (a.kind === b.kind ? a.target - b.target : a.kind === first ? -1 : 1)));
    i = j;
  }
  return out;
}

export function sidak(alpha: number, m: number): number {
  return m <= 1 ? alpha : -Math.expm1(Math.log1p(-alpha) / m);
}

export function globalTest(s: LinearSolution, alpha: number): TestResult {
  if (s.dof === 0) return { statistic: 0, dof: 0, critical: 0, pValue: 1, rejected: false };
  const critical = chiSquareQuantile(1 - alpha, s.dof);
  return { statistic: s.globalStatistic, dof: s.dof, critical, pValue: chiSquareSurvival(s.globalStatistic, s.dof), rejected: s.globalStatistic > critical };
}

function candidateHypotheses(m: CompiledModel, s: LinearSolution, leaks: boolean, existingLeaks: readonly number[], gains: boolean): Hypothesis[] {
  const out: Hypothesis[] = [];
  for (let e = 0; e < m.ids.length; e++) {
    if (m.kinds[e] === 'leak' || Number.isNaN(s.biasGlr[e])) continue;
    out.push({ kind: 'bias', target: e, label: m.ids[e], glr: s.biasGlr[e], estimate: s.biasEstimate[e], sigma: s.biasSigma[e] });
  }
  if (!leaks) return out;
  const { group } = s.classification;
  for (let v = 0; v < m.nodeCount; v++) {
    if (!m.leakCandidate[v] || existingLeaks.includes(v)) continue;
    const row = s.rowOfGroup[group[v]];
    // A leak loses material; a gain (negative estimate) is an inflow missing from the model, offered
    // only when asked for.
    if (row < 0 || !Number.isFinite(s.leakEstimate[row]) || (!gains && !(s.leakEstimate[row] > 0))) continue;
    // Every node of a balance group has the same leak signature: offer each, ties are reported.
    out.push({ kind: 'leak', target: v, label: m.nodeIds[v], glr: s.leakGlr[row], estimate: s.leakEstimate[row], sigma: s.leakSigma[row] });
  }
  return out;
}
