import type Redis from 'ioredis';

export interface RedisHealth {
  readonly ok: boolean;
  /** Round-trip time of the PING, ms (when ok). */
  readonly latencyMs?: number;
  readonly error?: string;
}

/**
 * PINGs Redis and reports within `timeoutMs` (default 1000) whatever happens: a hung or absent
 * server yields `{ ok: false }`, never an exception or a stuck readiness probe. A client that is
 * not connected is reported at once, without queueing a PING behind the reconnect.
 */
export async function pingRedis(client: Redis, timeoutMs = 1_000): Promise<RedisHealth> {
  if (client.status !== 'ready') return { ok: false, error: `not connected (status ${client.status})` };
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PING reply within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    if (reply !== 'PONG') return { ok: false, error: `unexpected PING reply ${JSON.stringify(reply)}` };
    return { ok: true, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes the client: QUIT (pending replies are delivered first), or a hard disconnect when Redis
 * does not answer within `timeoutMs` (default 2000); resolves once the socket is closed. Safe to
 * call on a client that is down: the pending reconnect is cancelled.
 */
export async function closeRedis(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    if (client.status === 'ready') await Promise.race([client.quit().catch(() => undefined), deadline]);
    // With no live socket (status `reconnecting`/`wait`) this only cancels the reconnect timer.
    const socketOpen = ['connecting', 'connect', 'ready'].includes(client.status);
    client.disconnect(false);
    if (socketOpen) await Promise.race([ended, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
