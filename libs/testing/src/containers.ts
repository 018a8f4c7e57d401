/**
 * Opt-in: where a Docker engine exists (a developer laptop, a CI with Docker), the same suites run
 * against TimescaleDB, Redis and Kafka containers instead of local servers. Enable it with
 * REFLUX_TEST_CONTAINERS=1. The default, and the only path on machines without Docker, is local
 * servers (embedded PostgreSQL, redis-server, the librdkafka mock cluster).
 */
export interface ContainerServers {
  readonly postgresUrl: string;
  readonly redisUrl: string;
  readonly kafkaBrokers: string;
  stop(): Promise<void>;
}

export const TIMESCALEDB_IMAGE = 'timescale/timescaledb:2.17.2-pg16';
export const REDIS_IMAGE = 'redis:7.4-alpine';
export const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.7.1';

export function containersRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['REFLUX_TEST_CONTAINERS'] === '1' || env['REFLUX_TEST_CONTAINERS'] === 'true';
}

export async function startContainers(): Promise<ContainerServers> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, redis, kafka] = await Promise.all([
    new PostgreSqlContainer(TIMESCALEDB_IMAGE).withUsername('postgres').withPassword('postgres').withDatabase('postgres').start(),
    new RedisContainer(REDIS_IMAGE).start(),
    new KafkaContainer(KAFKA_IMAGE).withKraft().start(),
  ]);
  return {
    postgresUrl: postgres.getConnectionUri(),
    redisUrl: redis.getConnectionUrl(),
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    async stop() {
      await Promise.all([postgres.stop(), redis.stop(), kafka.stop()]);
    },
  };
}
