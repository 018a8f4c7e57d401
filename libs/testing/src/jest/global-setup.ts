import { containersRequested, startContainers } from '../containers';
import { hasKcat, startKafkaMockCluster } from '../kafka-mock';
import { startEmbeddedPostgres } from '../postgres';
import { hasRedisServer, startRedisServer } from '../redis';
import { startTimescalePostgres, timescaleRequested } from '../timescale-postgres';

type Stop = () => Promise<void>;
declare global {
  var __REFLUX_TEST_SERVERS__: Stop[] | undefined;
}

/**
 * Starts the real servers the integration tests use, once per `jest` run, and publishes their
 * addresses as environment variables that the test workers inherit:
 *   REFLUX_TEST_POSTGRES_URL, REFLUX_TEST_REDIS_URL, REFLUX_TEST_KAFKA_BROKERS.
 * A server that cannot be started leaves its variable unset; tests that need it then fail with a
 * message that says what to install (they never skip silently).
 * With REFLUX_TEST_TIMESCALE=1 PostgreSQL is a Debian PostgreSQL cluster with TimescaleDB preloaded
 * instead of the embedded one; when that cannot be started the run fails with the reason.
 */
export default async function globalSetup(): Promise<void> {
  const stops: Stop[] = [];
  globalThis.__REFLUX_TEST_SERVERS__ = stops;
  const log = (m: string) => process.stderr.write(`[test servers] ${m}\n`);

  if (containersRequested()) {
    const c = await startContainers();
    stops.push(() => c.stop());
    process.env['REFLUX_TEST_POSTGRES_URL'] = c.postgresUrl;
    process.env['REFLUX_TEST_REDIS_URL'] = c.redisUrl;
    process.env['REFLUX_TEST_KAFKA_BROKERS'] = c.kafkaBrokers;
    process.env['REFLUX_TEST_KAFKA_KIND'] = 'broker';
    log(`containers: postgres ${c.postgresUrl}, redis ${c.redisUrl}, kafka ${c.kafkaBrokers}`);
    return;
  }

  const tasks: Promise<void>[] = [];
  if (!process.env['REFLUX_TEST_POSTGRES_URL'] && timescaleRequested()) {
    tasks.push(
      startTimescalePostgres().then((pg) => {
        stops.push(() => pg.stop());
        process.env['REFLUX_TEST_POSTGRES_URL'] = pg.url;
        log(`PostgreSQL with TimescaleDB ${pg.version} at ${pg.url}`);
      }),
    );
  } else if (!process.env['REFLUX_TEST_POSTGRES_URL']) {
    tasks.push(
      startEmbeddedPostgres().then((pg) => {
        stops.push(() => pg.stop());
        process.env['REFLUX_TEST_POSTGRES_URL'] = pg.url;
        log(`embedded PostgreSQL at ${pg.url}`);
      }),
    );
  }
  if (!process.env['REFLUX_TEST_REDIS_URL']) {
    if (hasRedisServer()) {
      tasks.push(
        startRedisServer().then((r) => {
          stops.push(() => r.stop());
          process.env['REFLUX_TEST_REDIS_URL'] = r.url;
          log(`redis-server at ${r.url}`);
        }),
      );
    } else log('redis-server not found (apt-get install redis-server): Redis tests will fail');
  }
  if (!process.env['REFLUX_TEST_KAFKA_BROKERS']) {
    if (hasKcat()) {
      tasks.push(
        startKafkaMockCluster().then((k) => {
          stops.push(() => k.stop());
          process.env['REFLUX_TEST_KAFKA_BROKERS'] = k.brokers;
          process.env['REFLUX_TEST_KAFKA_KIND'] = 'librdkafka-mock';
          log(`Kafka mock cluster at ${k.brokers}`);
        }),
      );
    } else log('kcat not found (apt-get install kcat): Kafka adapter tests will fail');
  }
  const failed = (await Promise.allSettled(tasks)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Jest runs no teardown after a failed setup: stop what did start, then fail with the reason.
    await Promise.allSettled(stops.map((stop) => stop()));
    throw failed.reason;
  }
}
