import { createDevelopmentToken, type Role } from '@reflux/grpc';
import { PostgresEventStore } from '@reflux/event-store';
import { request, type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'pg';
import { startGatewayApp, type GatewayApp, type GatewayAppOptions } from '../src/gateway.app';

export const JWT_SECRET = 'control-room-gateway-test-secret-0123456789';
export const token = (roles: readonly Role[], subject = `user-${roles.join('-')}`): string => createDevelopmentToken(JWT_SECRET, roles, subject);

export function startTestGateway(databaseUrl: string, overrides: Partial<GatewayAppOptions> = {}): Promise<GatewayApp> {
  return startGatewayApp({
    databaseUrl,
    host: '127.0.0.1',
    port: 0,
    auth: { jwt: { hs256Secrets: [JWT_SECRET], development: true } },
    upstreams: {},
    upstreamTimeoutMs: 5000,
    fanout: { ringEvents: 10_000, ringBytes: 64 << 20, catchUpBatch: 100, concurrentCatchUps: 4 },
    clientBufferBytes: 256 << 10,
    heartbeatMs: 15_000,
    sessionMaxAgeS: 3600,
    logger: pino({ enabled: false }),
    ...overrides,
  });
}

/** Appends an integration event as the PostgreSQL bus stores it (stream `integration-<subject>`). */
export async function publish(store: PostgresEventStore, type: string, data: Record<string, unknown>, subject = 'plant-a'): Promise<number> {
  const result = await store.appendToStream(`integration-${subject}`, [
    { eventId: randomUUID(), type, data, metadata: { topic: 'test', source: 'test', subject, occurredAt: new Date().toISOString(), correlationId: randomUUID() } },
  ]);
  return result.lastGlobalPosition;
}

export const reconciled = (plantId: string, n: number) => ({
  plantId,
  plantModelVersion: 1,
  window: { start: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), end: new Date(Date.UTC(2026, 0, 1, 0, n + 1)).toISOString() },
  summary: { globalTestStatistic: n, degreesOfFreedom: 1, criticalValue: 3.84, rejected: false, counts: { measuredStreams: 1, unmeasuredStreams: 0, balanceEquations: 1, suspectedGrossErrors: 0 } },
});

export interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** A minimal SSE client over node:http that records every event. */
export class SseClient {
  readonly events: SseEvent[] = [];
  response?: IncomingMessage;
  ended = false;
  private buffer = '';
  private readonly req;

  constructor(url: string, headers: Record<string, string>) {
    this.req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      this.response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.parse(chunk));
      res.on('end', () => (this.ended = true));
      res.on('close', () => (this.ended = true));
    });
    this.req.on('error', () => (this.ended = true));
    this.req.end();
  }

  positions(): number[] {
    return this.events.filter((e) => e.event === 'message').map((e) => Number(e.id));
  }

  pause(): void {
    this.response?.pause();
  }

  resume(): void {
    this.response?.resume();
  }

  close(): void {
    this.req.destroy();
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
    }
  }
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function httpJson(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

export async function writerStore(pool: Pool): Promise<PostgresEventStore> {
  const store = new PostgresEventStore({ pool });
  await store.migrate();
  return store;
}
