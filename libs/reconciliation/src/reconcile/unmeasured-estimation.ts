import type { CompiledModel } from '../network/compiled-model';
import type { Classification } from '../network/classification';
import { UnionFind } from '../network/union-find';

export interface CovarianceContext {
  readonly rowFrom: Int32Array;
  readonly rowTo: Int32Array;
  /** wᵀ M⁻¹ w for a sparse w over rows of the projected system. */
  readonly quadForm: (w: Map<number, number>) => number;
}

/**
 * Estimates every observable unmeasured flow (a bridge of the unmeasured subgraph) from the
 * reconciled measured flows, and optionally its standard deviation.
 *
 * Contract the 2-edge-connected parts of the unmeasured subgraph: the bridges form a forest. Root each
 * tree at the part holding the boundary (or anywhere if it has none). For a bridge above subtree T,
 * the balance of T (a set of nodes without the boundary) gives its flow as a signed sum of the
 * measured flows crossing the cut of T: x_b = kᵀ x̂. Then Var(x_b) = kᵀ Σ k − wᵀ M⁻¹ w with
 * w = B Σ k (one reach-limited sparse forward solve per bridge). The cut coefficients k of each
 * bridge are recorded in `cuts` when given (the bounded solution conditions on them).
 */
export function estimateUnmeasured(
  m: CompiledModel,
  cls: Classification,
  x: Float64Array,
  sd: Float64Array,
  ctx: CovarianceContext | null,
  cuts?: Map<number, Map<number, number>>,
): void {
  const n = m.ids.length;
  const V = m.nodeCount + 1;
  const { bridge } = cls;
  let anyBridge = false;
  for (let e = 0; e < n; e++) if (!m.measured[e] && bridge[e]) anyBridge = true;
  if (!anyBridge) return;

  // 2-edge-connected parts of the unmeasured subgraph.
  const uf = new UnionFind(V);
  for (let e = 0; e < n; e++) if (!m.measured[e] && !bridge[e]) uf.union(m.from[e], m.to[e]);
  const part = new Int32Array(V);
  for (let v = 0; v < V; v++) part[v] = uf.find(v);

  // Bridge-tree adjacency over parts.
  const treeAdj = new Map<number, number[]>();
  for (let e = 0; e < n; e++) {
    if (m.measured[e] || !bridge[e]) continue;
    for (const p of [part[m.from[e]], part[m.to[e]]]) {
      let list = treeAdj.get(p);
      if (!list) treeAdj.set(p, (list = []));
      list.push(e);
    }
  }
  // Vertices per part (only parts in the bridge forest matter).
  const members = new Map<number, number[]>();
  for (let v = 0; v < V; v++) {
    if (!treeAdj.has(part[v])) continue;
    let list = members.get(part[v]);
    if (!list) members.set(part[v], (list = []));
    list.push(v);
  }
  // Measured incidence per vertex.
  const incStart = new Int32Array(V + 1);
  for (let e = 0; e < n; e++) {
    if (!m.measured[e]) continue;
    incStart[m.from[e] + 1]++;
    incStart[m.to[e] + 1]++;
  }
  for (let v = 0; v < V; v++) incStart[v + 1] += incStart[v];
  const incFill = incStart.slice(0, V);
  const inc = new Int32Array(incStart[V]);
  for (let e = 0; e < n; e++) {
    if (!m.measured[e]) continue;
    inc[incFill[m.from[e]]++] = e;
    inc[incFill[m.to[e]]++] = e;
  }
  // Net measured inflow per vertex, from reconciled values.
  const net = new Float64Array(V);
  for (let e = 0; e < n; e++) {
    if (!m.measured[e]) continue;
    net[m.to[e]] += x[e];
    net[m.from[e]] -= x[e];
  }

  const boundaryPart = part[m.nodeCount];
  const visited = new Set<number>();
  const roots = [boundaryPart, ...treeAdj.keys()];
  const preorderIndex = new Map<number, number>();
  const subtreeEnd = new Map<number, number>();
  for (const root of roots) {
    if (visited.has(root) || !treeAdj.has(root)) continue;
    // Iterative DFS: order, parent bridge, preorder intervals and subtree sums.
    const order: number[] = [];
    const parentBridge = new Map<number, number>();
    const stack: number[] = [root];
    visited.add(root);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      preorderIndex.set(p, order.length);
      order.push(p);
      for (const e of treeAdj.get(p) ?? []) {
        if (e === parentBridge.get(p)) continue;
        const q = part[m.from[e]] === p ? part[m.to[e]] : part[m.from[e]];
        if (visited.has(q)) continue;
        visited.add(q);
        parentBridge.set(q, e);
        stack.push(q);
      }
    }
    // Preorder from a stack DFS is a valid preorder; compute subtree ends and sums in reverse.
    const subtreeSum = new Map<number, number>();
    const end = new Map<number, number>();
    for (let i = order.length - 1; i >= 0; i--) {
      const p = order[i];
      let s = 0;
      for (const v of members.get(p) ?? []) s += net[v];
      let last = i;
      for (const e of treeAdj.get(p) ?? []) {
        if (e === parentBridge.get(p)) continue;
        const q = part[m.from[e]] === p ? part[m.to[e]] : part[m.from[e]];
        if (parentBridge.get(q) !== e) continue;
        s += subtreeSum.get(q) as number;
        last = Math.max(last, end.get(q) as number);
      }
      subtreeSum.set(p, s);
      end.set(p, last);
      subtreeEnd.set(p, last);
    }
    for (let i = 1; i < order.length; i++) {
      const child = order[i];
      const e = parentBridge.get(child) as number;
      const entersSubtree = part[m.to[e]] === child;
      const s = subtreeSum.get(child) as number;
      const sign = entersSubtree ? -1 : 1;
      x[e] = sign * s;
      if (!ctx && !cuts) continue;
      // Cut coefficients k over measured edges leaving or entering the subtree.
      const lo = i;
      const hi = end.get(child) as number;
      const inSubtree = (v: number): boolean => {
        const idx = preorderIndex.get(part[v]);
        return idx !== undefined && idx >= lo && idx <= hi && visitedTree(order, idx, part[v]);
      };
      const k = new Map<number, number>();
      for (let j = lo; j <= hi; j++) {
        for (const v of members.get(order[j]) ?? []) {
          for (let p = incStart[v]; p < incStart[v + 1]; p++) {
            const f = inc[p];
            const other = m.from[f] === v ? m.to[f] : m.from[f];
            if (inSubtree(other)) continue;
            const enters = m.to[f] === v;
            k.set(f, sign * (enters ? 1 : -1));
          }
        }
      }
      cuts?.set(e, k);
      if (ctx) sd[e] = Math.sqrt(Math.max(0, cutVariance(m, cls, k, ctx)));
    }
  }
}

function visitedTree(order: readonly number[], idx: number, p: number): boolean {
  return order[idx] === p;
}

function cutVariance(m: CompiledModel, cls: Classification, k: Map<number, number>, ctx: CovarianceContext): number {
  let v = 0;
  const w = new Map<number, number>();
  for (const [f, kf] of k) {
    const s2 = m.sigma[f] * m.sigma[f];
    v += kf * kf * s2;
    // (Σ k)_j for every measured j correlated with f
    const add = (j: number, c: number): void => {
      if (!cls.redundant[j]) return;
      if (ctx.rowTo[j] >= 0) w.set(ctx.rowTo[j], (w.get(ctx.rowTo[j]) ?? 0) + c);
      if (ctx.rowFrom[j] >= 0) w.set(ctx.rowFrom[j], (w.get(ctx.rowFrom[j]) ?? 0) - c);
    };
    add(f, kf * s2);
    const cov = m.covariance.get(f);
    if (cov) {
      for (const [j, c] of cov) {
        if (!m.measured[j]) continue;
        const kj = k.get(j);
        if (kj !== undefined) v += kf * kj * c;
        add(j, kf * c);
      }
    }
  }
  return v - ctx.quadForm(w);
}
