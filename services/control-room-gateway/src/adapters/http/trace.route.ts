import type { IncomingMessage, ServerResponse } from 'node:http';
import { traceCausation } from '../../application/causation-trace.query';
import type { CausationLog } from '../../application/causation-log.port';
import { GATEWAY_ERROR_CODES, GatewayError, invalid } from '../../domain/gateway.errors';
import type { HttpAuth } from './http-auth';
import { sendJson } from './http-io';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `GET /v1/events/{eventId}/trace`: the causation tree through an integration event (any signed-in role). */
export async function traceRoute(req: IncomingMessage, res: ServerResponse, params: readonly string[], ctx: { auth: HttpAuth; trace?: CausationLog }): Promise<void> {
  ctx.auth.authenticate(req);
  if (!ctx.trace) throw new GatewayError(GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE, 'causation trace not available');
  let eventId = '';
  try {
    eventId = decodeURIComponent(params[0] ?? '');
  } catch {
    throw invalid([{ field: 'eventId', description: 'is not URL-encoded text' }]);
  }
  if (!UUID.test(eventId)) throw invalid([{ field: 'eventId', description: `${JSON.stringify(eventId.slice(0, 60))} is not an event id (a UUID)` }]);
  const trace = await traceCausation(ctx.trace, eventId);
  if (!trace)
    throw new GatewayError(GATEWAY_ERROR_CODES.NOT_FOUND, `no integration event ${eventId} in the event log`, [{ field: 'eventId', description: 'unknown, pruned by retention, or not an integration event' }]);
  sendJson(res, 200, trace);
}
