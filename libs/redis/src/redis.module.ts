import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { createRedisClient } from './redis.client';
import { REDIS_CLIENT } from './redis.di-tokens';
import { closeRedis } from './redis.health';

export interface RedisModuleOptions {
  /** REDIS_URL; undefined → the module provides `null` and nothing connects. */
  readonly url: string | undefined;
  readonly connectionName?: string;
  readonly logger?: Logger;
}

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeRedis(this.client);
  }
}

/** Parameter decorator for the optional client: `@InjectRedis() redis: Redis | null`. */
export const InjectRedis = (): ParameterDecorator => Inject(REDIS_CLIENT);

@Module({})
export class RedisModule {
  /**
   * Provides `REDIS_CLIENT` globally: an ioredis client when `url` is set, else `null`, so the
   * embedded default runs without Redis. The client is closed on application shutdown
   * (`app.enableShutdownHooks()` or `app.close()`).
   */
  static forRoot(options: RedisModuleOptions): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: (): Redis | null =>
            options.url ? createRedisClient({ url: options.url, connectionName: options.connectionName, logger: options.logger }) : null,
        },
        RedisShutdown,
      ],
      exports: [REDIS_CLIENT],
    };
  }
}
