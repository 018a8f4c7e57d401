/** Layered layout of a flow network for the overview diagram: sources left, products right, recycles ignored for layering. */
export interface Edge { id: string; from: string | null; to: string | null }
export interface Placed { id: string; layer: number; row: number; boundary?: 'in' | 'out' }
export interface Layout { nodes: Map<string, Placed>; layers: number; rows: number; edges: { id: string; from: string; to: string; back: boolean }[] }

export const boundaryIn = (streamId: string) => `in:${streamId}`;
export const boundaryOut = (streamId: string) => `out:${streamId}`;

/**
 * Nodes are the units the edges touch plus one boundary node per stream that enters or leaves the
 * plant. Layer = longest path from a source over the edges that are not back edges of a depth-first
 * search (recycles); rows within a layer ordered by the mean row of their predecessors.
 */
export function layoutNetwork(edges: readonly Edge[], unitOrder: readonly string[] = []): Layout {
  const wired = edges.map((e) => ({ id: e.id, from: e.from ?? boundaryIn(e.id), to: e.to ?? boundaryOut(e.id) }));
  const ids = [...new Set(wired.flatMap((e) => [e.from, e.to]))];
  // Units in the plant model's order; a feed ranks with the unit it feeds, so the search starts at
  // the first unit's feed and follows the main path before the recycles (exchanger hot sides) close.
  const rank = new Map(unitOrder.map((u, i) => [u, i]));
  const feedOf = new Map(wired.filter((e) => e.from.startsWith('in:')).map((e) => [e.from, e.to]));
  const rankOf = (id: string) => rank.get(feedOf.get(id) ?? id) ?? 1e9;
  ids.sort((a, b) => rankOf(a) - rankOf(b) || a.localeCompare(b));
  const out = new Map(ids.map((id) => [id, [] as typeof wired]));
  const indeg = new Map(ids.map((id) => [id, 0]));
  for (const e of wired) {
    out.get(e.from)!.push(e);
    indeg.set(e.to, indeg.get(e.to)! + 1);
  }
  // Depth-first from the sources (then from anything left): an edge into a node on the stack is a recycle.
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (root: string) => {
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top.id)![top.i++];
      if (!next) {
        state.set(top.id, 'done');
        stack.pop();
      } else if (state.get(next.to) === 'open') back.add(next.id);
      else if (!state.has(next.to)) {
        state.set(next.to, 'open');
        stack.push({ id: next.to, i: 0 });
      }
    }
  };
  for (const id of ids) if (indeg.get(id) === 0 && !state.has(id)) visit(id);
  for (const id of ids) if (!state.has(id)) visit(id);
  // Longest path over the forward edges (a DAG now), by relaxation in topological order.
  const forward = wired.filter((e) => !back.has(e.id));
  const layer = new Map(ids.map((id) => [id, 0]));
  const remaining = new Map(ids.map((id) => [id, 0]));
  for (const e of forward) remaining.set(e.to, remaining.get(e.to)! + 1);
  const queue = ids.filter((id) => remaining.get(id) === 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of forward.filter((f) => f.from === id)) {
      layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(id)! + 1));
      remaining.set(e.to, remaining.get(e.to)! - 1);
      if (remaining.get(e.to) === 0) queue.push(e.to);
    }
  }
  // Products sit one layer right of their source; feeds one layer left of their destination.
  for (const e of wired) {
    if (e.to.startsWith('out:')) layer.set(e.to, layer.get(e.from)! + 1);
  }
  for (const e of wired) if (e.from.startsWith('in:')) layer.set(e.from, Math.max(0, layer.get(e.to)! - 1));
  const layers = Math.max(0, ...layer.values()) + 1;
  const nodes = new Map<string, Placed>();
  const byLayer: string[][] = Array.from({ length: layers }, () => []);
  for (const id of ids) byLayer[layer.get(id)!]!.push(id);
  byLayer.forEach((column, l) => {
    const mean = (id: string) => {
      const rows = forward.filter((e) => e.to === id && nodes.has(e.from)).map((e) => nodes.get(e.from)!.row);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.POSITIVE_INFINITY;
    };
    const sorted = l === 0 ? column : [...column].sort((a, b) => mean(a) - mean(b));
    sorted.forEach((id, row) => nodes.set(id, { id, layer: l, row, ...(id.startsWith('in:') ? { boundary: 'in' as const } : id.startsWith('out:') ? { boundary: 'out' as const } : {}) }));
  });
  return { nodes, layers, rows: Math.max(1, ...byLayer.map((c) => c.length)), edges: wired.map((e) => ({ ...e, back: back.has(e.id) })) };
}
