import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { grpcPlatformConfigFromEnv } from '@reflux/grpc';
import { databaseSslCa, kafkaConnectionOptions, loadConfigOrExit } from '@reflux/config';
import { kafkaBusConnection } from '@reflux/messaging';
import { startObservability } from '@reflux/observability';
import { DEMO_PLANTS, demoPlantPath, InvalidPlantModelError, parsePlantModel, type DemoPlantName } from '@reflux/plant-model';
import { createRedisClient } from '@reflux/redis';
import { InMemoryTagCatalog } from './application/in-memory-tag-catalog';
import { RedisLatestValueCache } from './adapters/redis/redis-latest-value-cache';
import { tagDefinitionsFromPlantModel } from './adapters/plant-model/plant-model-tags';
import { startIngestionApp } from './ingestion.app';
import { ingestionConfigSchema } from './ingestion.config';

/**
 * Process entry: configuration (exit 78 naming every bad variable), logs, metrics (METRICS_PORT)
 * and traces, tag catalog, storage, gRPC, SIGTERM drain.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(ingestionConfigSchema);
  const observability = await startObservability(config);
  const { logger } = observability;
  const files = config.PLANT_MODEL_FILES ?? Object.keys(DEMO_PLANTS).map((name) => demoPlantPath(name as DemoPlantName));
  if (!config.PLANT_MODEL_FILES) logger.warn({ files }, 'PLANT_MODEL_FILES is not set: the tag catalog holds the demo plants');
  const tags = files.flatMap((path) => {
    const parsed = parsePlantModel(readFileSync(path, 'utf8'), extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
    if (!parsed.ok) throw new InvalidPlantModelError(parsed.issues);
    return tagDefinitionsFromPlantModel(parsed.model);
  });
  const redis = config.REDIS_URL ? createRedisClient({ url: config.REDIS_URL, connectionName: config.SERVICE_NAME, logger }) : undefined;
  const app = await startIngestionApp({
    databaseUrl: config.DATABASE_URL,
    databasePoolMax: config.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    databaseConnectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    databaseSslCa: databaseSslCa(config),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    storage: {
      timescale: config.INGESTION_TIMESCALE,
      retentionDays: config.INGESTION_RETENTION_DAYS,
      compressAfterDays: config.INGESTION_COMPRESS_AFTER_DAYS,
      partitionsAheadDays: config.INGESTION_PARTITIONS_AHEAD_DAYS,
      batchIdRetentionS: config.INGESTION_BATCH_ID_RETENTION_S,
      rollupLagS: config.INGESTION_ROLLUP_LAG_S,
    },
    writer: {
      maxFutureSkewS: config.INGESTION_MAX_FUTURE_SKEW_S,
      backfillHorizonS: config.INGESTION_BACKFILL_HORIZON_S,
      defaultDuplicatePolicy: config.INGESTION_DUPLICATE_POLICY,
      maxBatchSamples: config.INGESTION_MAX_BATCH_SAMPLES,
      maxInFlightSamples: config.INGESTION_MAX_IN_FLIGHT_SAMPLES,
    },
    grpc: grpcPlatformConfigFromEnv(config),
    bus:
      config.EVENT_BUS === 'kafka'
        ? { kind: 'kafka', ...kafkaBusConnection(kafkaConnectionOptions(config)) }
        : { kind: 'postgres' },
    catalog: new InMemoryTagCatalog(tags),
    ...(redis ? { cache: new RedisLatestValueCache(redis) } : {}),
    logger,
    maintenanceIntervalMs: config.INGESTION_MAINTENANCE_INTERVAL_S * 1000,
    rollupFoldIntervalMs: config.INGESTION_ROLLUP_FOLD_INTERVAL_MS,
    metricsRegistry: observability.registry,
  });
  logger.info({ port: app.port, mode: app.storage.mode, tags: tags.length }, 'ingestion service started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'ingestion service stopping');
    app
      .stop()
      .then(() => redis?.quit())
      .then(() => observability.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'ingestion service stopped with an error');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'ingestion service failed to start', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
