/** The ioredis client, or `null` when REDIS_URL is not set (use in-process caches then). */
export const REDIS_CLIENT = Symbol.for('reflux.redis.client');
