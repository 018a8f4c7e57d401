/** One integration event of a causation chain, as the trace shows it (no payload). */
export interface TraceEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly source?: string;
  readonly subject?: string;
  readonly occurredAt?: string;
  readonly recordedAt: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface TraceNode extends TraceEvent {
  readonly children: TraceNode[];
}

/**
 * The causation tree through one event: its ancestors from the root down to it (one child each),
 * then every event it caused, directly or not. `unresolvedCause`: the root's `causationId` when it
 * names nothing in the log (a gRPC request id, or an event pruned by retention).
 */
export interface CausationTrace {
  readonly eventId: string;
  readonly root: TraceNode;
  readonly events: number;
  readonly truncated: boolean;
  readonly unresolvedCause?: string;
}

/**
 * Builds the tree from `ancestry` (the event itself first, then its cause, its cause's cause, …) and
 * `descendants` (any order). A descendant whose cause is not in the tree is left out; a cycle
 * (impossible with event ids, but the log is data) is cut at the first repeated event.
 */
export function buildCausationTrace(ancestry: readonly TraceEvent[], descendants: readonly TraceEvent[], truncated: boolean): CausationTrace {
  if (ancestry.length === 0) throw new Error('a trace needs the traced event');
  const seen = new Set<string>();
  const node = (e: TraceEvent): TraceNode => {
    seen.add(e.eventId);
    return { ...e, children: [] };
  };
  const chain = [...ancestry].reverse().filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  seen.clear();
  const root = node(chain[0]!);
  let focus = root;
  for (const e of chain.slice(1)) {
    const child = node(e);
    focus.children.push(child);
    focus = child;
  }
  const byCause = new Map<string, TraceEvent[]>();
  for (const e of descendants) if (e.causationId !== undefined) byCause.set(e.causationId, [...(byCause.get(e.causationId) ?? []), e]);
  const grow = (parent: TraceNode) => {
    const children = (byCause.get(parent.eventId) ?? []).filter((e) => !seen.has(e.eventId)).sort((a, b) => a.position - b.position);
    for (const e of children) {
      if (seen.has(e.eventId)) continue;
      const child = node(e);
      parent.children.push(child);
      grow(child);
    }
  };
  grow(focus);
  return { eventId: ancestry[0]!.eventId, root, events: seen.size, truncated, ...(root.causationId !== undefined && { unresolvedCause: root.causationId }) };
}
