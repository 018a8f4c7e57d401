import 'reflect-metadata';
import { once } from 'node:events';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Redis from 'ioredis';
import { freePort, spawnUntilReady } from '@reflux/testing';
import { createRedisClient } from './redis.client';
import { REDIS_CLIENT } from './redis.di-tokens';
import { closeRedis, pingRedis } from './redis.health';
import { RedisModule } from './redis.module';

const url = () => {
  const value = process.env.REFLUX_TEST_REDIS_URL;
  if (!value) throw new Error('REFLUX_TEST_REDIS_URL is not set (jest global setup)');
  return value;
};

async function redisOn(port: number) {
  const { process: child } = await spawnUntilReady(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    (line) => (/Ready to accept connections/.test(line) ? true : undefined),
  );
  return child;
}

describe('Redis client', () => {
  it('connects from REDIS_URL, runs commands and reports health with latency', async () => {
    const client = createRedisClient({ url: url(), connectionName: 'reflux-test' });
    try {
      await client.set('reflux:test:k', 'v', 'EX', 10);
      expect(await client.get('reflux:test:k')).toBe('v');
      expect(await client.client('GETNAME')).toBe('reflux-test');
      const health = await pingRedis(client);
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThan(0);
      expect(health.latencyMs).toBeLessThan(1_000);
    } finally {
      await closeRedis(client);
    }
    expect(client.status).toBe('end');
  });

  it('reports an unreachable server as unhealthy within the timeout instead of hanging', async () => {
    const port = await freePort();
    const client = createRedisClient({ url: `redis://127.0.0.1:${port}`, maxBackoffMs: 100 });
    try {
      const started = Date.now();
      const health = await pingRedis(client, 300);
      expect(health.ok).toBe(false);
      expect(health.error).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await closeRedis(client);
    }
    // No live socket to end; closing cancelled the reconnect loop.
    const reconnects = jest.fn();
    client.on('connecting', reconnects);
    await new Promise((r) => setTimeout(r, 300));
    expect(reconnects).not.toHaveBeenCalled();
  });

  it('fails commands fast during an outage and recovers by itself when Redis comes back', async () => {
    const port = await freePort();
    let server = await redisOn(port);
    const client = createRedisClient({ url: `redis://127.0.0.1:${port}`, maxBackoffMs: 200, commandTimeoutMs: 500 });
    try {
      await client.set('k', '1');
      await server.stop();
      const started = Date.now();
      await expect(client.get('k')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect((await pingRedis(client, 300)).ok).toBe(false);

      server = await redisOn(port);
      const deadline = Date.now() + 10_000;
      while (!(await pingRedis(client, 300)).ok) {
        if (Date.now() > deadline) throw new Error('client did not reconnect within 10 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      await client.set('k', '2');
      expect(await client.get('k')).toBe('2');
    } finally {
      await closeRedis(client);
      await server.stop();
    }
  });
});

describe('RedisModule', () => {
  it('provides null without REDIS_URL, so services fall back to in-process caches', async () => {
    @Module({ imports: [RedisModule.forRoot({ url: undefined })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(REDIS_CLIENT)).toBeNull();
    await app.close();
  });

  it('provides a connected client with REDIS_URL and closes it with the application', async () => {
    @Module({ imports: [RedisModule.forRoot({ url: url(), connectionName: 'module-test' })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const client = app.get<Redis>(REDIS_CLIENT);
    if (client.status !== 'ready') await once(client, 'ready');
    expect((await pingRedis(client)).ok).toBe(true);
    await app.close();
    expect(client.status).toBe('end');
  });
});
