import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { redisBackoffMs } from './redis.backoff';

export interface RedisClientOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  readonly url: string;
  /** Shown in `CLIENT LIST` and logs (`ingestion`). */
  readonly connectionName?: string;
  readonly logger?: Logger;
  /** Time to establish a TCP connection, ms. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Per-command timeout, ms (reply not received → the command rejects). Default 2000. */
  readonly commandTimeoutMs?: number;
  /** Reconnect delay bounds, ms. Defaults 50 and 5000. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Extra ioredis options (win over the above). */
  readonly overrides?: RedisOptions;
}

/**
 * An ioredis client for caches and coordination. Reconnects forever with exponential backoff and
 * full jitter (50 ms … 5 s), so a Redis restart is survived without a pod restart. While
 * disconnected, commands fail fast (`maxRetriesPerRequest: 1`, offline queue on only until the
 * first connect) instead of piling up: callers treat Redis as a cache and fall back. Connection
 * state changes are logged once per transition, without the URL's password.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const min = options.minBackoffMs ?? 50;
  const max = options.maxBackoffMs ?? 5_000;
  const logger = options.logger;
  const client = new Redis(options.url, {
    connectionName: options.connectionName,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => redisBackoffMs(attempt, min, max),
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    ...options.overrides,
  });
  let state: 'connecting' | 'ready' | 'down' = 'connecting';
  client.on('ready', () => {
    // After the first connection, queueing commands during an outage would only delay failures.
    client.options.enableOfflineQueue = false;
    if (state !== 'ready') logger?.info({ redis: describe(client) }, state === 'down' ? 'redis reconnected' : 'redis connected');
    state = 'ready';
  });
  client.on('error', (error: Error) => {
    if (state !== 'down') logger?.warn({ redis: describe(client), err: error }, 'redis unavailable, retrying with backoff');
    state = 'down';
  });
  client.on('end', () => logger?.info({ redis: describe(client) }, 'redis connection closed'));
  return client;
}

function describe(client: Redis): string {
  const o = client.options;
  return o.path ?? `${o.host}:${o.port}/${o.db ?? 0}`;
}
