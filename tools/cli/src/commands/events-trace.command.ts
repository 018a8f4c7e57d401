import type { Command } from 'commander';
import { resolveToken } from '../grpc/connection';
import { createOutput } from '../output';

/** A node of the gateway's causation trace (`GET /v1/events/{eventId}/trace`). */
export interface TraceNode {
  readonly eventId: string;
  readonly type: string;
  readonly source?: string;
  readonly subject?: string;
  readonly occurredAt?: string;
  readonly recordedAt: string;
  readonly causationId?: string;
  readonly children: readonly TraceNode[];
}

export interface CausationTrace {
  readonly eventId: string;
  readonly root: TraceNode;
  readonly events: number;
  readonly truncated: boolean;
  readonly unresolvedCause?: string;
}

/**
 * The trace as an indented tree, one event a line: type, time, source, subject, event id; the traced
 * event marked `◀`. A root caused by something the log does not hold (a request id) says so first.
 */
export function renderCausationTree(trace: CausationTrace): string {
  const lines: string[] = [];
  if (trace.unresolvedCause !== undefined) lines.push(`caused by ${trace.unresolvedCause} (not in the event log: a request id, or pruned)`);
  const line = (n: TraceNode) =>
    [n.type, n.occurredAt ?? n.recordedAt, n.source ?? '-', n.subject ?? '-', n.eventId].join('  ') + (n.eventId === trace.eventId ? '  ◀' : '');
  const walk = (n: TraceNode, prefix: string, last: boolean, top: boolean) => {
    lines.push(top ? line(n) : `${prefix}${last ? '└─ ' : '├─ '}${line(n)}`);
    const inner = top ? '' : `${prefix}${last ? '   ' : '│  '}`;
    n.children.forEach((c, i) => walk(c, inner, i === n.children.length - 1, false));
  };
  walk(trace.root, '', true, true);
  lines.push(`${trace.events} event${trace.events === 1 ? '' : 's'}${trace.truncated ? ' (truncated: more events below were not fetched)' : ''}`);
  return lines.join('\n');
}

const defaultGateway = () => process.env['REFLUX_GATEWAY_URL'] ?? `http://127.0.0.1:${process.env['REFLUX_CONTROL_ROOM_GATEWAY_PORT'] ?? '8080'}`;

/** Asks the control-room gateway for the trace; an HTTP error is thrown with its code and field violations. */
export async function fetchCausationTrace(gateway: string, eventId: string, token: string, timeoutMs = 30_000): Promise<CausationTrace> {
  const res = await fetch(`${gateway.replace(/\/+$/, '')}/v1/events/${encodeURIComponent(eventId)}/trace`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const message = typeof body['message'] === 'string' ? body['message'] : `HTTP ${res.status}`;
    throw Object.assign(new Error(`${String(body['code'] ?? `HTTP ${res.status}`)}: ${message}`), { code: body['code'], violations: Array.isArray(body['violations']) ? body['violations'] : [] });
  }
  return body as unknown as CausationTrace;
}

/** `reflux events trace ID`: the causation tree through an integration event, from the control-room gateway. */
export function registerEventsTraceCommand(program: Command): void {
  const events = program.commands.find((c) => c.name() === 'events') ?? program.command('events').description('the event log');
  events
    .command('trace')
    .description('why an event exists and what it caused: its causes up to the root and every event it caused, as a tree')
    .argument('<eventId>', 'event id (UUID) of an integration event')
    .option('--address <url>', 'control-room gateway URL (default REFLUX_GATEWAY_URL, else http://127.0.0.1:$REFLUX_CONTROL_ROOM_GATEWAY_PORT or :8080)', defaultGateway())
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--json', 'the tree as JSON')
    .action(async (eventId: string, o: { address: string; token?: string; json?: boolean }) => {
      const trace = await fetchCausationTrace(o.address, eventId, resolveToken(o));
      createOutput(o.json === true).result(trace, () => renderCausationTree(trace));
    });
}
