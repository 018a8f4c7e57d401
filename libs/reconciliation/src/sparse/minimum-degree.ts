/**
 * Minimum-degree fill-reducing ordering on an explicit elimination graph. Eliminating a vertex
 * joins its neighbours into a clique; a binary heap with lazy deletion always picks the vertex of
 * smallest current degree (ties by index, so the ordering is deterministic). Cost is O(Σ d²) over
 * the eliminated degrees, which for process networks (sparse, mostly local connections) is small.
 *
 * Returns `perm` with perm[old] = new position, and `inverse` with inverse[new] = old.
 */
export function minimumDegreeOrdering(adjacency: readonly (readonly number[])[]): { perm: Int32Array; inverse: Int32Array } {
  const n = adjacency.length;
  const adj: Set<number>[] = adjacency.map((a) => new Set(a));
  const eliminated = new Uint8Array(n);
  const heap = new MinHeap(n * 2 + 16);
  for (let v = 0; v < n; v++) heap.push(adj[v].size, v);
  const perm = new Int32Array(n);
  const inverse = new Int32Array(n);
  let k = 0;
  while (k < n) {
    const entry = heap.pop();
    if (entry === undefined) break;
    const [degree, v] = entry;
    if (eliminated[v] || degree !== adj[v].size) continue;
    eliminated[v] = 1;
    perm[v] = k;
    inverse[k] = v;
    k++;
    const neighbours = [...adj[v]];
    for (const u of neighbours) {
      const set = adj[u];
      set.delete(v);
      for (const w of neighbours) if (w !== u) set.add(w);
      heap.push(set.size, u);
    }
    adj[v].clear();
  }
  return { perm, inverse };
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];

  constructor(_capacity: number) {}

  push(key: number, value: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = keys.length;
    keys.push(key);
    vals.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] < key || (keys[parent] === key && vals[parent] <= value)) break;
      keys[i] = keys[parent];
      vals[i] = vals[parent];
      i = parent;
    }
    keys[i] = key;
    vals[i] = value;
  }

  pop(): [number, number] | undefined {
    const keys = this.keys;
    const vals = this.vals;
    if (keys.length === 0) return undefined;
    const top: [number, number] = [keys[0], vals[0]];
    const lastKey = keys.pop() as number;
    const lastVal = vals.pop() as number;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (keys[r] < keys[l] || (keys[r] === keys[l] && vals[r] < vals[l]))) c = r;
        if (keys[c] > lastKey || (keys[c] === lastKey && vals[c] >= lastVal)) break;
        keys[i] = keys[c];
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = lastKey;
      vals[i] = lastVal;
    }
    return top;
  }
}
