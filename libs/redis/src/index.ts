export * from './redis.backoff';
export * from './redis.client';
export * from './redis.di-tokens';
export * from './redis.health';
export * from './redis.module';
