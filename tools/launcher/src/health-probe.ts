import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { GRPC_LIB_PROTO_ROOT, loadPlatformProto } from '@reflux/grpc';

interface HealthClient extends grpc.Client {
  check(request: { service: string }, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: { status: string }) => void): void;
}

let HealthCtor: (new (address: string, credentials: grpc.ChannelCredentials) => HealthClient) | undefined;

function healthClient(address: string): HealthClient {
  if (!HealthCtor) {
    const definition = loadPlatformProto(join(GRPC_LIB_PROTO_ROOT, 'grpc', 'health', 'v1', 'health.proto'));
    const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: typeof HealthCtor } } } };
    HealthCtor = loaded.grpc.health.v1.Health;
  }
  return new HealthCtor!(address, grpc.credentials.createInsecure());
}

/** One standard gRPC health check (`grpc.health.v1.Health/Check`, overall server). */
export function checkHealth(address: string, timeoutMs = 1_000): Promise<string> {
  const client = healthClient(address);
  return new Promise((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + timeoutMs }, (error, response) => {
      client.close();
      resolve(error ? `UNREACHABLE (${error.details || error.code})` : (response?.status ?? 'UNKNOWN'));
    });
  });
}

/** Polls until the server answers SERVING, or rejects after `timeoutMs`. */
export async function waitUntilServing(address: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'UNKNOWN';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`exited before it was ready (last health status: ${last})`);
    last = await checkHealth(address);
    if (last === 'SERVING') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not SERVING after ${timeoutMs} ms (last health status: ${last})`);
}

/** Polls `GET <baseUrl>/readyz` until it answers 200 (an HTTP service), or rejects after `timeoutMs`. */
export async function waitUntilHttpReady(baseUrl: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'UNKNOWN';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`exited before it was ready (last readiness: ${last})`);
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
      last = `HTTP ${res.status}`;
      await res.body?.cancel();
      if (res.ok) return;
    } catch (error) {
      last = `UNREACHABLE (${(error as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${timeoutMs} ms (last readiness: ${last})`);
}
