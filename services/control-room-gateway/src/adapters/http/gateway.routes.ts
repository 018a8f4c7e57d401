import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_ERROR_CODES, GatewayError, invalid, type FieldViolation } from '../../domain/gateway.errors';
import { parseEventFilter } from '../../domain/event-filter';
import type { EventFanout } from '../../application/event-fanout';
import type { AlarmActions, SnapshotKind, SnapshotSource } from '../../application/snapshot-source.port';
import { CSRF_COOKIE, SESSION_COOKIE, cookie, newCsrfToken, sessionMaxAgeS, type HttpAuth } from './http-auth';
import { readJsonObject, sendJson } from './http-io';
import { OPENAPI_DOCUMENT } from './openapi';
import { sharedHeartbeat } from './sse-heartbeat';
import { SseSink } from './sse.transport';
import { traceRoute } from './trace.route';
import type { CausationLog } from '../../application/causation-log.port';

export interface RouteContext {
  readonly auth: HttpAuth;
  readonly fanout: EventFanout;
  readonly snapshots: ReadonlyMap<SnapshotKind, SnapshotSource>;
  readonly alarms?: AlarmActions;
  readonly eventTypes: ReadonlySet<string>;
  readonly clientBufferBytes: number;
  readonly heartbeatMs: number;
  readonly sessionMaxAgeS: number;
  readonly ready: () => Promise<boolean>;
  /** Causation links of the event log (`GET /v1/events/{eventId}/trace`). */
  readonly trace?: CausationLog;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: readonly string[], ctx: RouteContext) => Promise<void>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI path template. */
  readonly path: string;
  readonly pattern: RegExp;
  readonly handler: Handler;
}

const route = (method: Route['method'], path: string, handler: Handler): Route => ({
  method,
  path,
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '([^/]+)').replace(/\./g, '\\.')}$`),
  handler,
});

const OPERATOR_ROLES = ['operator'] as const;
const SHELVE_MAX_MS = 24 * 3600_000;

/** A resume position: Last-Event-ID header or `resumeAfter` query parameter, a non-negative integer. */
export function resumePositionOf(req: IncomingMessage, url: URL): number | undefined {
  const header = req.headers['last-event-id'];
  const raw = (typeof header === 'string' && header.length > 0 ? header : undefined) ?? url.searchParams.get('resumeAfter') ?? undefined;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw invalid([{ field: typeof header === 'string' && header.length > 0 ? 'Last-Event-ID' : 'resumeAfter', description: `${JSON.stringify(raw.slice(0, 40))} is not a global position (a non-negative integer)` }]);
  return Number(raw);
}

const events: Handler = async (req, res, url, _params, ctx) => {
  ctx.auth.authenticate(req);
  const filter = parseEventFilter(url.searchParams, ctx.eventTypes);
  const resumeAfter = resumePositionOf(req, url);
  const sink = new SseSink(res, ctx.clientBufferBytes);
  let connection: Awaited<ReturnType<EventFanout['open']>> | undefined;
  let opened = false;
  // Headers go out with the first event (open() may already pump from the ring) or once open()
  // resolves; an unknown resume position fails before, as a plain HTTP error.
  const start = () => {
    sink.open(1000);
    opened = true;
  };
  await ctx.fanout.open(
    {
      send: (e) => {
        if (!opened) start();
        return sink.send(e);
      },
      lagging: (p) => {
        if (!opened) start();
        sink.lagging(p);
      },
    },
    filter,
    resumeAfter,
  ).then((c) => {
    connection = c;
  });
  if (!opened) start();
  const c = connection!;
  res.on('drain', () => c.writable());
  const stopHeartbeat = sharedHeartbeat(ctx, ctx.heartbeatMs).add(sink);
  const release = () => {
    stopHeartbeat();
    ctx.fanout.release(c);
  };
  // The client may have gone while the resume position was looked up: 'close' has then fired already.
  if (res.destroyed || req.destroyed) release();
  else res.on('close', release);
};

const snapshot = (kind: SnapshotKind): Handler => async (req, res, url, _params, ctx) => {
  const auth = ctx.auth.authenticate(req);
  const source = ctx.snapshots.get(kind);
  if (!source) {
    const error = new GatewayError(GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE, `${kind}: service not available (not deployed, or no address configured)`);
    sendJson(res, 503, { ...error.toJSON(), available: false });
    return;
  }
  sendJson(res, 200, { available: true, service: source.service, readAt: new Date().toISOString(), ...(await source.read(url.searchParams, auth.caller) as object) });
};

const text = (body: Record<string, unknown>, field: string, violations: FieldViolation[], options: { required: boolean; max: number }): string => {
  const v = body[field];
  if (v === undefined || v === '') {
    if (options.required) violations.push({ field, description: 'required' });
    return '';
  }
  if (typeof v !== 'string') violations.push({ field, description: 'must be a string' });
  else if (v.length > options.max) violations.push({ field, description: `at most ${options.max} characters` });
  return typeof v === 'string' ? v : '';
};

const alarmAction = (action: 'ack' | 'shelve'): Handler => async (req, res, _url, params, ctx) => {
  const auth = ctx.auth.authenticate(req);
  ctx.auth.requireCsrf(req, auth);
  ctx.auth.requireRole(auth, OPERATOR_ROLES, action === 'ack' ? 'acknowledging an alarm' : 'shelving an alarm');
  if (!ctx.alarms) throw new GatewayError(GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE, 'safety service not available');
  let alarmId: string;
  try {
    alarmId = decodeURIComponent(params[0]);
  } catch {
    throw invalid([{ field: 'alarmId', description: 'is not URL-encoded text' }]);
  }
  const body = await readJsonObject(req);
  const violations: FieldViolation[] = [];
  const plantId = text(body, 'plantId', violations, { required: true, max: 200 });
  const reason = text(body, 'reason', violations, { required: action === 'shelve', max: 500 });
  let expiresAt = new Date(NaN);
  if (action === 'shelve') {
    const raw = text(body, 'expiresAt', violations, { required: true, max: 40 });
    expiresAt = new Date(raw);
    if (raw && Number.isNaN(expiresAt.getTime())) violations.push({ field: 'expiresAt', description: 'must be an ISO-8601 time' });
    else if (raw && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + SHELVE_MAX_MS)) violations.push({ field: 'expiresAt', description: 'must lie in the next 24 hours' });
  }
  if (alarmId.length === 0 || alarmId.length > 300) violations.push({ field: 'alarmId', description: 'must be 1 to 300 characters' });
  if (violations.length > 0) throw invalid(violations);
  const result = action === 'ack'
    ? await ctx.alarms.acknowledge({ plantId, alarmId, reason }, auth.caller)
    : await ctx.alarms.shelve({ plantId, alarmId, reason, expiresAt }, auth.caller);
  sendJson(res, 200, result);
};

const secureRequest = (req: IncomingMessage): boolean => (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';

const createSession: Handler = async (req, res, _url, _params, ctx) => {
  const body = req.headers['content-length'] === '0' || req.headers['content-type'] === undefined ? {} : await readJsonObject(req);
  const fromHeader = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = typeof body['token'] === 'string' ? body['token'] : fromHeader;
  if (!token) throw invalid([{ field: 'token', description: 'required (in the body, or as Authorization: Bearer)' }]);
  const principal = ctx.auth.verifyToken(token);
  const maxAgeS = sessionMaxAgeS(token, ctx.sessionMaxAgeS);
  const csrfToken = newCsrfToken();
  const secure = secureRequest(req);
  sendJson(res, 200, { subject: principal.subject, roles: principal.roles, csrfToken, expiresInS: maxAgeS }, {
    'set-cookie': [cookie(SESSION_COOKIE, token, { httpOnly: true, maxAgeS, secure }), cookie(CSRF_COOKIE, csrfToken, { httpOnly: false, maxAgeS, secure })],
  });
};

const session: Handler = async (req, res, _url, _params, ctx) => {
  const auth = ctx.auth.authenticate(req);
  sendJson(res, 200, { subject: auth.principal.subject, roles: auth.principal.roles, via: auth.viaCookie ? 'session-cookie' : 'authorization-header' });
};

const deleteSession: Handler = async (req, res) => {
  const secure = secureRequest(req);
  res.writeHead(204, { 'set-cookie': [cookie(SESSION_COOKIE, '', { httpOnly: true, maxAgeS: 0, secure }), cookie(CSRF_COOKIE, '', { httpOnly: false, maxAgeS: 0, secure })] });
  res.end();
};

/** Every HTTP route of the gateway (the WebSocket upgrade at /v1/events/ws is handled by the server's upgrade listener). */
export const GATEWAY_ROUTES: readonly Route[] = [
  route('GET', '/v1/events', events),
  route('GET', '/v1/events/{eventId}/trace', (req, res, _url, params, ctx) => traceRoute(req, res, params, ctx)),
  route('GET', '/v1/session', session),
  route('POST', '/v1/session', createSession),
  route('DELETE', '/v1/session', deleteSession),
  route('GET', '/v1/snapshot/tags', snapshot('tags')),
  route('GET', '/v1/snapshot/balances', snapshot('balances')),
  route('GET', '/v1/snapshot/alarms', snapshot('alarms')),
  route('GET', '/v1/snapshot/schedule', snapshot('schedule')),
  route('GET', '/v1/snapshot/allocation', snapshot('allocation')),
  route('GET', '/v1/snapshot/limits', snapshot('limits')),
  route('GET', '/v1/snapshot/plants', snapshot('plants')),
  route('POST', '/v1/alarms/{alarmId}/ack', alarmAction('ack')),
  route('POST', '/v1/alarms/{alarmId}/shelve', alarmAction('shelve')),
  route('GET', '/v1/openapi.json', async (_req, res) => sendJson(res, 200, OPENAPI_DOCUMENT)),
  route('GET', '/healthz', async (_req, res) => sendJson(res, 200, { status: 'alive' })),
  route('GET', '/readyz', async (_req, res, _url, _p, ctx) => ((await ctx.ready()) ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' }))),
];
