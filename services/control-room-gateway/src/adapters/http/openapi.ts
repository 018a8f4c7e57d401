/** The HTTP API of the gateway (OpenAPI 3.1), served at /v1/openapi.json. Every route of `GATEWAY_ROUTES` is described here (tested). */
const error = { $ref: '#/components/responses/Error' };
const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const csrf = { name: 'X-CSRF-Token', in: 'header', required: false, description: 'Required with the session cookie: the value of the reflux_csrf cookie.', schema: { type: 'string' } };
const alarmId = { name: 'alarmId', in: 'path', required: true, description: '`<tag_id>/<kind>`, URL-encoded', schema: { type: 'string' } };
const filters = [
  { name: 'types', in: 'query', description: 'Comma-separated integration event types (default all)', schema: { type: 'string' } },
  { name: 'units', in: 'query', description: 'Comma-separated unit ids; events naming other units are left out', schema: { type: 'string' } },
  { name: 'areas', in: 'query', description: 'Comma-separated areas; events naming other areas are left out', schema: { type: 'string' } },
];
const snapshot = (summary: string, parameters: unknown[] = []) => ({
  get: { summary, parameters, responses: { 200: json(summary), 400: error, 401: error, 503: json('The service behind this snapshot is not available', { $ref: '#/components/schemas/Error' }) } },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Reflux control-room gateway', version: '1.0.0', description: 'Live integration events (SSE, WebSocket) with resume by global position, snapshots and alarm actions for control-room dashboards.' },
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    '/v1/events': {
      get: {
        summary: 'Server-Sent Events: every integration event, id = global position. Last-Event-ID resumes exactly once, in order; `event: lagging` then close when too far behind.',
        parameters: [...filters, { name: 'Last-Event-ID', in: 'header', schema: { type: 'string' } }, { name: 'resumeAfter', in: 'query', schema: { type: 'integer' } }],
        responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 400: error, 401: error, 410: error },
      },
    },
    '/v1/events/ws': {
      get: {
        summary: 'WebSocket upgrade: one JSON event per message (with `position`); `{"control":"lagging","resumeAfter":n}` then close when too far behind.',
        parameters: [...filters, { name: 'resumeAfter', in: 'query', schema: { type: 'integer' } }],
        responses: { 101: { description: 'Switching protocols' }, 400: error, 401: error, 410: error },
      },
    },
    '/v1/events/{eventId}/trace': {
      get: {
        summary: 'Causation tree through an integration event: its causes up to the root, then every event it caused (`causationId` links; at most 64 links deep and 2,000 events below it, `truncated` says so). Nodes: type, occurredAt, source, subject, eventId, children.',
        parameters: [{ name: 'eventId', in: 'path', required: true, description: 'Event id (UUID) of an integration event', schema: { type: 'string', format: 'uuid' } }],
        responses: { 200: json('`{ eventId, root, events, truncated, unresolvedCause? }`'), 400: error, 401: error, 404: error },
      },
    },
    '/v1/session': {
      get: { summary: 'The signed-in principal', responses: { 200: json('Subject and roles'), 401: error } },
      post: {
        summary: 'Sign in a browser: verifies the token (body `{ "token" }` or the Authorization header) and sets the HttpOnly SameSite=Strict session cookie and the CSRF cookie',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { token: { type: 'string' } } } } } },
        responses: { 200: json('Subject, roles, csrfToken, expiresInS'), 400: error, 401: error },
      },
      delete: { summary: 'Sign out (clears the cookies)', responses: { 204: { description: 'Signed out' } } },
    },
    '/v1/snapshot/tags': snapshot('Latest value of each tag (ingestion), in the tag\'s unit', [{ name: 'ids', in: 'query', required: true, schema: { type: 'string' } }]),
    '/v1/snapshot/balances': snapshot('Latest reconciled balance per plant (balancing): streams in kg/s, unit closures, suspects', [{ name: 'plantId', in: 'query', schema: { type: 'string' } }, { name: 'unitId', in: 'query', schema: { type: 'string' } }]),
    '/v1/snapshot/alarms': snapshot('Active alarms (safety)', [{ name: 'plantId', in: 'query', schema: { type: 'string' } }, { name: 'area', in: 'query', schema: { type: 'string' } }]),
    '/v1/snapshot/schedule': snapshot('Published schedule and newer proposal of a plant (scheduling GetSchedule): mode and throughput (t) of each unit per period, frozen window in periods; 503 when scheduling is not configured or not reachable', [{ name: 'plantId', in: 'query', schema: { type: 'string' }, description: 'default: GATEWAY_DEFAULT_PLANT' }]),
    '/v1/snapshot/allocation': snapshot('Current allocation of the site network (supply chain GetAllocation: the published one, else the latest proposal; null before the first): production per site, material and period (t), shipments per lane (t), order promises with late periods; 503 when supply chain is not configured or not reachable'),
    '/v1/snapshot/limits': snapshot('Alarm limits HH/H/L/LL per tag in its engineering unit, and the plant time zone (safety GetAlarmConfiguration)', [{ name: 'plantId', in: 'query', schema: { type: 'string' }, description: 'default: GATEWAY_DEFAULT_PLANT' }]),
    '/v1/snapshot/plants': snapshot('Plant models given to the gateway (PLANT_MODEL_FILES): time zone, units, streams (material/energy, from, to); the default plant of the views', [{ name: 'plantId', in: 'query', schema: { type: 'string' } }]),
    '/v1/alarms/{alarmId}/ack': {
      post: {
        summary: 'Acknowledge an alarm (role operator), forwarded to safety with the caller\'s identity',
        parameters: [alarmId, csrf],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['plantId'], properties: { plantId: { type: 'string' }, reason: { type: 'string' } } } } } },
        responses: { 200: json('The alarm after the action'), 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/v1/alarms/{alarmId}/shelve': {
      post: {
        summary: 'Shelve an alarm until a time at most 24 h ahead (role operator), forwarded to safety',
        parameters: [alarmId, csrf],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['plantId', 'reason', 'expiresAt'], properties: { plantId: { type: 'string' }, reason: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } } } } },
        responses: { 200: json('The alarm after the action'), 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/v1/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: json('OpenAPI 3.1') } } },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: json('Alive') } } },
    '/readyz': { get: { summary: 'Readiness: the event tail runs and the database answers', security: [], responses: { 200: json('Ready'), 503: json('Not ready') } } },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' },
      session: { type: 'apiKey', in: 'cookie', name: 'reflux_session' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['code', 'status', 'message'],
        properties: {
          code: { type: 'string', description: 'Stable error code, e.g. GATEWAY.INVALID_ARGUMENT' },
          status: { type: 'string', description: 'gRPC status name' },
          message: { type: 'string' },
          violations: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, description: { type: 'string' } } } },
        },
      },
    },
    responses: { Error: json('Error with field-level detail', { $ref: '#/components/schemas/Error' }) },
  },
} as const;
