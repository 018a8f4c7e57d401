/**
 * The numeric form of a network: vertices 0..N−1 are nodes, vertex N is the plant boundary
 * (environment). Every variable is a directed edge from → to carrying a flow; tank accumulation and
 * hypothesised leaks are edges to the boundary. Bounds are ±Infinity when absent.
 */
export type VariableKind = 'stream' | 'accumulation' | 'leak';

export interface CompiledModel {
  readonly nodeIds: readonly string[];
  /** Number of process nodes; the boundary vertex is `nodeCount`. */
  readonly nodeCount: number;
  readonly ids: string[];
  readonly kinds: VariableKind[];
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly measured: Uint8Array;
  readonly y: Float64Array;
  readonly sigma: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Off-diagonal covariances by variable index (symmetric: both directions present). */
  readonly covariance: Map<number, Map<number, number>>;
  readonly leakCandidate: Uint8Array;
}

export function variableCount(m: CompiledModel): number {
  return m.ids.length;
}

/** A copy with the given variables turned unmeasured and extra leak edges appended. */
export function withChanges(m: CompiledModel, unmeasure: readonly number[], leakNodes: readonly number[]): CompiledModel {
  const n = m.ids.length;
  const total = n + leakNodes.length;
  const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, ctor: new (k: number) => T): T => {
    const out = new ctor(total);
    out.set(a);
    return out;
  };
  const from = grow(m.from, Int32Array);
  const to = grow(m.to, Int32Array);
  const measured = grow(m.measured, Uint8Array);
  const y = grow(m.y, Float64Array);
  const sigma = grow(m.sigma, Float64Array);
  const lower = grow(m.lower, Float64Array);
  const upper = grow(m.upper, Float64Array);
  const ids = [...m.ids];
  const kinds = [...m.kinds];
  for (const v of unmeasure) measured[v] = 0;
  leakNodes.forEach((node, k) => {
    const j = n + k;
    ids.push(`leak:${m.nodeIds[node]}`);
    kinds.push('leak');
    from[j] = node;
    to[j] = m.nodeCount;
    measured[j] = 0;
    y[j] = NaN;
    sigma[j] = NaN;
    lower[j] = -Infinity;
    upper[j] = Infinity;
  });
  return { ...m, ids, kinds, from, to, measured, y, sigma, lower, upper };
}
