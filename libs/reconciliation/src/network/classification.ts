import type { CompiledModel } from './compiled-model';
import { UnionFind } from './union-find';

/**
 * Graph classification of a linear flow network (Kretsovalis & Mah 1987; Narasimhan & Jordache
 * ch. 3), exact for incidence-matrix constraints and linear in the network size:
 *
 * - Unmeasured flows: the null space of the unmeasured incidence matrix is the cycle space of the
 *   subgraph of unmeasured edges (boundary included as a vertex). An unmeasured flow is observable
 *   iff its edge lies on no cycle of that subgraph, i.e. it is a bridge.
 * - Measured flows: merging the endpoints of every unmeasured edge projects the unmeasured flows
 *   out (Crowe's projection: the surviving constraints are the balances of the merged groups). A
 *   measured flow is redundant iff its column of the projected matrix is non-zero, i.e. its
 *   endpoints fall in different merged groups.
 */
export interface Classification {
  /** Merged group (union-find root) of every vertex 0..N, boundary included. */
  readonly group: Int32Array;
  readonly boundaryGroup: number;
  readonly redundant: Uint8Array;
  /** 1 for measured variables and observable unmeasured ones. */
  readonly observable: Uint8Array;
  /** For unmeasured variables: 1 when the edge is a bridge of the unmeasured subgraph. */
  readonly bridge: Uint8Array;
}

export function classify(m: CompiledModel): Classification {
  const V = m.nodeCount + 1;
  const n = m.ids.length;
  const uf = new UnionFind(V);
  for (let e = 0; e < n; e++) if (!m.measured[e]) uf.union(m.from[e], m.to[e]);
  const group = new Int32Array(V);
  for (let v = 0; v < V; v++) group[v] = uf.find(v);
  const redundant = new Uint8Array(n);
  for (let e = 0; e < n; e++) if (m.measured[e] && group[m.from[e]] !== group[m.to[e]]) redundant[e] = 1;
  const bridge = findUnmeasuredBridges(m, V);
  const observable = new Uint8Array(n);
  for (let e = 0; e < n; e++) observable[e] = m.measured[e] || bridge[e] ? 1 : 0;
  return { group, boundaryGroup: group[m.nodeCount], redundant, observable, bridge };
}

/** Tarjan's bridge search over the unmeasured edges (iterative; parallel edges are cycles). */
function findUnmeasuredBridges(m: CompiledModel, V: number): Uint8Array {
  const n = m.ids.length;
  const start = new Int32Array(V + 1);
  for (let e = 0; e < n; e++) {
    if (m.measured[e]) continue;
    start[m.from[e] + 1]++;
    start[m.to[e] + 1]++;
  }
  for (let v = 0; v < V; v++) start[v + 1] += start[v];
  const fill = start.slice(0, V);
  const adjV = new Int32Array(start[V]);
  const adjE = new Int32Array(start[V]);
  for (let e = 0; e < n; e++) {
    if (m.measured[e]) continue;
    const a = m.from[e];
    const b = m.to[e];
    adjV[fill[a]] = b;
    adjE[fill[a]++] = e;
    adjV[fill[b]] = a;
    adjE[fill[b]++] = e;
  }
  const bridge = new Uint8Array(n);
  const tin = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  const parentEdge = new Int32Array(V).fill(-1);
  const iter = new Int32Array(V);
  const stack = new Int32Array(V);
  let timer = 0;
  for (let root = 0; root < V; root++) {
    if (tin[root] !== -1 || start[root] === start[root + 1]) continue;
    let sp = 0;
    stack[sp++] = root;
    tin[root] = low[root] = timer++;
    iter[root] = start[root];
    while (sp > 0) {
      const v = stack[sp - 1];
      if (iter[v] < start[v + 1]) {
        const p = iter[v]++;
        const e = adjE[p];
        if (e === parentEdge[v]) continue;
        const u = adjV[p];
        if (tin[u] === -1) {
          parentEdge[u] = e;
          tin[u] = low[u] = timer++;
          iter[u] = start[u];
          stack[sp++] = u;
        } else if (tin[u] < low[v]) low[v] = tin[u];
      } else {
        sp--;
        if (sp > 0) {
          const parent = stack[sp - 1];
          if (low[v] < low[parent]) low[parent] = low[v];
          if (low[v] > tin[parent]) bridge[parentEdge[v]] = 1;
        }
      }
    }
  }
  return bridge;
}
