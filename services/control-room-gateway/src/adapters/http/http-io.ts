import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_ERROR_CODES, GatewayError, invalid } from '../../domain/gateway.errors';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...SECURITY_HEADERS, ...headers });
  res.end(text);
}

/** A GatewayError as its HTTP status and JSON body; anything else as 500 without internals. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof GatewayError) {
    sendJson(res, error.httpStatus, error.toJSON(), error.httpStatus === 401 ? { 'www-authenticate': 'Bearer' } : {});
    return;
  }
  sendJson(res, 500, { code: 'GATEWAY.INTERNAL', status: 'INTERNAL', message: 'internal error' });
}

/** Reads a JSON object body of at most `maxBytes`. */
export async function readJsonObject(req: IncomingMessage, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw invalid([{ field: 'content-type', description: 'must be application/json' }]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw invalid([{ field: 'body', description: `larger than ${maxBytes} bytes` }]);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid([{ field: 'body', description: 'is not valid JSON' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid([{ field: 'body', description: 'must be a JSON object' }]);
  return parsed as Record<string, unknown>;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // a malformed cookie is ignored
    }
  }
  return cookies;
}

export const notFound = (path: string): GatewayError => new GatewayError(GATEWAY_ERROR_CODES.NOT_FOUND, `no route ${path}`);
