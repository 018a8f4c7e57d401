import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { GATEWAY_ERROR_CODES, GatewayError } from '../../domain/gateway.errors';
import { parseEventFilter } from '../../domain/event-filter';
import { WsSink } from '../ws/ws.transport';
import { GATEWAY_ROUTES, resumePositionOf, type RouteContext } from './gateway.routes';
import { notFound, sendError, sendJson } from './http-io';
import type { StaticAssets } from './static-assets';

const WS_PATH = '/v1/events/ws';

/** The gateway's HTTP server: the routes, the WebSocket upgrade and the page's static assets. */
export function createGatewayServer(ctx: RouteContext, logger: Logger, assets?: StaticAssets): Server {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = req.method ?? 'GET';
    void (async () => {
      for (const r of GATEWAY_ROUTES) {
        const match = r.pattern.exec(url.pathname);
        if (!match) continue;
        if (r.method !== method) continue;
        await r.handler(req, res, url, match.slice(1), ctx);
        return;
      }
      if (GATEWAY_ROUTES.some((r) => r.pattern.test(url.pathname))) {
        sendJson(res, 405, { code: 'GATEWAY.METHOD_NOT_ALLOWED', status: 'UNIMPLEMENTED', message: `${method} ${url.pathname} is not supported` });
        return;
      }
      if ((method === 'GET' || method === 'HEAD') && assets && (await assets.serve(url.pathname, res))) return;
      throw notFound(url.pathname);
    })().catch((error: unknown) => {
      if (!(error instanceof GatewayError)) logger.error({ err: error, path: url.pathname }, 'gateway request failed');
      sendError(res, error);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    void (async () => {
      if (url.pathname !== WS_PATH) throw notFound(url.pathname);
      const auth = ctx.auth.authenticate(req);
      // A cookie session only from the gateway's own page (cross-site WebSocket hijacking).
      if (auth.viaCookie && req.headers.origin !== undefined && new URL(req.headers.origin).host !== req.headers.host)
        throw new GatewayError(GATEWAY_ERROR_CODES.PERMISSION_DENIED, 'cross-origin WebSocket with a session cookie');
      const filter = parseEventFilter(url.searchParams, ctx.eventTypes);
      const resumeAfter = resumePositionOf(req, url);
      // An unknown resume position is answered after the upgrade: a `{"control":"error"}` frame, close code 4410.
      wss.handleUpgrade(req, socket, head, (ws) => {
        let connection: Awaited<ReturnType<typeof ctx.fanout.open>> | undefined;
        const sink = new WsSink(ws, ctx.clientBufferBytes, () => connection?.writable());
        ctx.fanout.open(sink, filter, resumeAfter).then(
          (c) => {
            connection = c;
            if (ws.readyState !== ws.OPEN) ctx.fanout.release(c);
          },
          (error: unknown) => {
            const body = error instanceof GatewayError ? error.toJSON() : { code: 'GATEWAY.INTERNAL', message: 'internal error' };
            ws.send(JSON.stringify({ control: 'error', ...body }));
            ws.close(error instanceof GatewayError && error.httpStatus === 410 ? 4410 : 1011, error instanceof GatewayError ? error.code : 'internal');
          },
        );
        ws.on('close', () => connection && ctx.fanout.release(connection));
        ws.on('error', () => ws.terminate());
      });
    })().catch((error: unknown) => {
      const status = error instanceof GatewayError ? error.httpStatus : 500;
      const body = JSON.stringify(error instanceof GatewayError ? error.toJSON() : { code: 'GATEWAY.INTERNAL', message: 'internal error' });
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    });
  });
  return server;
}
