import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { bindComponentHealth, createServiceToken, grpcClientTransport, GrpcPlatformServer, grpcPlatformConfigFromEnv, jwtConfigFromEnv, parseJwtConfig, type GrpcClientTransport, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import {
  outboxCategory,
  type BusMonitoring,
  type BusSubscription,
  type KafkaEventBusConfig,
  kafkaBusConnection,
  openServiceBus,
} from '@reflux/messaging';
import { ComponentHealth } from '@reflux/observability';
import { parsePlantModel, type PlantModelFormat } from '@reflux/plant-model';
import { loadProtoPackage } from '@reflux/proto';
import type { Registry } from 'prom-client';
import { PrometheusReconciliationMetrics } from './adapters/metrics/prometheus-reconciliation.metrics';
import type { Pool } from 'pg';
import { createPgPool, pgPoolOptionsFromConfig, watchDatabaseLiveness, type PgPoolOptions } from '@reflux/database';
import type { Logger } from 'pino';
import { subscribeMeasurementsIngested } from './adapters/bus/measurements-ingested.consumer';
import { BALANCING_PROTO, BALANCING_SERVICE, balancingServiceImplementation } from './adapters/grpc/balancing.grpc-service';
import { IngestionHistorySource } from './adapters/history/ingestion.history-source';
import { assertBalancingMigrated, migrateBalancing } from './adapters/postgres/balancing.migrations';
import { BalanceReadModel } from './adapters/postgres/balance-read-model.queries';
import { OutboxBalancePublisher } from './adapters/bus/outbox.balance-publisher';
import { BalanceReconciler, type ReconcilerSettings } from './application/balance-reconciler';
import { parsePersistenceRule } from './domain/suspect-persistence';
import { balanceReadModelProjection } from './application/balance-read-model.projection';
import { ClassificationQuery } from './application/classification.query';
import type { HistorySource } from './application/history-source.port';
import { publishPlantModel } from './application/plant-model.publisher';
import { PlantModelRegistry } from './application/plant-model.registry';
import { WindowTrigger, type WindowTriggerSettings } from './application/window-trigger';
import type { BalancingConfig } from './balancing.config';
import { kafkaConnectionOptions } from '@reflux/config';

/** Outbox streams of this service when EVENT_BUS=kafka: `outbox-balancing-<subject>`. */
export const BALANCING_OUTBOX_CATEGORY = outboxCategory('balancing');

export interface PlantModelSource {
  readonly document: string;
  readonly format: PlantModelFormat;
  /** Where it came from, for error messages. */
  readonly origin: string;
}

export interface BalancingAppOptions {
  readonly databaseUrl: string;
  /** Pool settings (timeouts, size, application name); see `createPgPool`. */
  readonly pool?: Partial<Omit<PgPoolOptions, 'url'>>;
  /** Apply the schema migrations at start (DATABASE_MIGRATE_ON_START); otherwise run migrate.ts first. Default true. */
  readonly migrateOnStart?: boolean;
  readonly grpc: GrpcPlatformConfigInput;
  readonly plantModels: readonly PlantModelSource[];
  readonly history: HistorySource;
  readonly logger: Logger;
  readonly reconciler: ReconcilerSettings;
  readonly trigger: WindowTriggerSettings;
  /** Period of the scheduled trigger, ms; 0 = no schedule. */
  readonly scheduleIntervalMs: number;
  /** Consume `MeasurementsIngested` and reconcile the windows it completes. */
  readonly triggerOnIngest: boolean;
  /** Default: the PostgreSQL bus on the same database. */
  readonly kafka?: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    /** Idempotent producer (default true; off only for brokers that hand out no producer ids). */
    readonly idempotent?: boolean;
    readonly client?: KafkaEventBusConfig['client'];
    /** Partitions, replication and retention of the topics the bus creates (KAFKA_TOPIC_*). */
    readonly topics?: KafkaEventBusConfig['topics'];
    /** Let the broker auto-create topics instead (test brokers without a usable admin API). */
    readonly allowAutoTopicCreation?: boolean;
    /** Bound of one outbox batch's publish (KAFKA_PUBLISH_TIMEOUT_MS, default 30 s). */
    readonly publishTimeoutMs?: number;
  };
  /** When the consumer and relay turn health NOT_SERVING (held too long, dead-lettering in a row). */
  readonly monitoring?: Pick<BusMonitoring, 'stuckAfterMs' | 'failAfterDeadLetters'>;
  readonly now?: () => Date;
  /** Prometheus registry for gRPC and reconciliation metrics (served by main.ts on METRICS_PORT). */
  readonly metricsRegistry?: Registry;
}

export interface BalancingApp {
  readonly port: number;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly models: PlantModelRegistry;
  readonly reconciler: BalanceReconciler;
  readonly readModel: BalanceReadModel;
  readonly trigger: WindowTrigger;
  readonly projection: Subscription;
  readonly server: GrpcPlatformServer;
  /** State of the bus consumer and outbox relay; gRPC health follows it. */
  readonly health: ComponentHealth;
  /** Drains gRPC, stops the schedule, consumers and projection, closes the pool. */
  stop(): Promise<void>;
}

/** Reads the PLANT_MODEL_FILES documents (YAML unless the name ends in .json). */
export function readPlantModelFiles(paths: readonly string[]): PlantModelSource[] {
  return paths.map((path) => ({ document: readFileSync(path, 'utf8'), format: extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', origin: path }));
}

/** TLS (or mutual TLS) to ingestion from the INGESTION_TLS_* settings; plaintext when they are unset. */
export function ingestionTransport(config: Readonly<BalancingConfig>): GrpcClientTransport {
  return grpcClientTransport(
    { enabled: config.INGESTION_TLS, caFile: config.INGESTION_TLS_CA_FILE, certFile: config.INGESTION_TLS_CERT_FILE, keyFile: config.INGESTION_TLS_KEY_FILE, serverName: config.INGESTION_TLS_SERVER_NAME },
    'INGESTION_TLS',
  );
}

/** The options of a process started from its environment configuration. */
export function balancingAppOptions(config: Readonly<BalancingConfig>, logger: Logger): BalancingAppOptions {
  // Minted from the AUTH_JWT_* settings ingestion verifies with (same issuer, audience, cap).
  const jwt = config.AUTH_JWT_SECRET ? parseJwtConfig(jwtConfigFromEnv(config)) : undefined;
  const token = config.INGESTION_TOKEN
    ? () => config.INGESTION_TOKEN!
    : jwt
      ? () => createServiceToken(jwt, 'balancing', ['viewer'], { ttlSeconds: 300 })
      : () => '';
  return {
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    // GRPC_*, AUTH_*, TLS_* and SHUTDOWN_GRACE_MS, read as every service reads them
    grpc: grpcPlatformConfigFromEnv(config),
    plantModels: readPlantModelFiles(config.PLANT_MODEL_FILES),
    history: new IngestionHistorySource({ address: config.INGESTION_ADDRESS, transport: ingestionTransport(config), token, timeoutMs: config.INGESTION_TIMEOUT_MS, logger }),
    logger,
    reconciler: {
      alpha: Number(config.BALANCE_ALPHA),
      sigmaSource: config.BALANCE_SIGMA_SOURCE,
      spreadBuckets: config.BALANCE_SPREAD_BUCKETS,
      minGoodShare: Number(config.BALANCE_MIN_GOOD_SHARE),
      minCoverage: Number(config.BALANCE_MIN_COVERAGE),
      persistence: parsePersistenceRule(config.BALANCE_SUSPECT_PERSISTENCE),
    },
    trigger: { windowS: config.BALANCE_WINDOW_S, settleS: config.BALANCE_SETTLE_S, lookbackWindows: config.BALANCE_LOOKBACK_WINDOWS },
    scheduleIntervalMs: config.BALANCE_SCHEDULE_INTERVAL_S * 1000,
    triggerOnIngest: config.BALANCE_TRIGGER_ON_INGEST,
    ...(config.EVENT_BUS === 'kafka' && { kafka: kafkaBusConnection(kafkaConnectionOptions(config)) }),
  };
}

/**
 * Composition root: migrations, event store and bus, plant-model versions, the reconciler, the
 * read-model projection, the triggers (schedule and MeasurementsIngested) and the gRPC server.
 */
export async function startBalancingApp(o: BalancingAppOptions): Promise<BalancingApp> {
  const logger = o.logger;
  const pool = createPgPool({ applicationName: 'balancing', logger, ...o.pool, url: o.databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  cleanups.push(() => pool.end());
  try {
    if (o.migrateOnStart !== false) await migrateBalancing(pool);
    else await assertBalancingMigrated(pool);
    const health = new ComponentHealth(o.metricsRegistry);
    // PostgreSQL unreachable (a failover, a restart) turns gRPC health NOT_SERVING until it answers.
    cleanups.push(watchDatabaseLiveness({ pool, health, logger }));
    const store = new PostgresEventStore({ pool, logger, monitoring: { health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) } });
    cleanups.push(() => store.close());

    const monitoring: BusMonitoring = { ...o.monitoring, health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) };
    const { bus, outbox, stop: stopBus } = openServiceBus({ eventStore: store, pool, logger, monitoring, outboxCategory: BALANCING_OUTBOX_CATEGORY, relayId: 'balancing-outbox-relay', ...(o.kafka && { kafka: o.kafka }) });
    cleanups.push(stopBus);

    const publisher = new OutboxBalancePublisher(outbox);
    const models = new PlantModelRegistry();
    for (const source of o.plantModels) {
      const parsed = parsePlantModel(source.document, source.format);
      if (!parsed.ok) throw new Error(`plant model ${source.origin} is invalid: ${parsed.issues.slice(0, 10).map((i) => `${i.path} ${i.message}`).join('; ')}`);
      await publishPlantModel({ store, publisher, registry: models, logger }, parsed.model.plantId, source.document, source.format);
    }

    const metrics = o.metricsRegistry ? new PrometheusReconciliationMetrics(o.metricsRegistry) : undefined;
    const reconciler = new BalanceReconciler({ store, publisher, models, history: o.history, logger, settings: o.reconciler, now: o.now, metrics });
    const readModel = new BalanceReadModel(pool);
    const classification = new ClassificationQuery(models, o.trigger.windowS);
    const projection = await startProjection(store, balanceReadModelProjection);
    cleanups.push(() => projection.stop());

    const trigger = new WindowTrigger(reconciler, models, o.trigger, logger, o.now);
    let consumer: BusSubscription | undefined;
    if (o.triggerOnIngest) {
      consumer = await subscribeMeasurementsIngested(bus, trigger);
      cleanups.push(() => consumer?.stop());
    }
    cleanups.push(() => trigger.idle());
    if (o.scheduleIntervalMs > 0) {
      const now = o.now ?? (() => new Date());
      const tick = () => void trigger.onSchedule(now()).catch((error: unknown) => logger.error({ err: error }, 'scheduled reconciliation failed'));
      const timer = setInterval(tick, o.scheduleIntervalMs);
      timer.unref();
      setImmediate(tick);
      cleanups.push(() => clearInterval(timer));
    }

    const server = new GrpcPlatformServer({ config: o.grpc, logger, metricsRegistry: o.metricsRegistry });
    server.addService(loadProtoPackage(BALANCING_PROTO), BALANCING_SERVICE, balancingServiceImplementation({ reconciler, readModel, classification, models }));
    const port = await server.start();
    cleanups.push(() => server.shutdown());
    // A stopped, crashed or stuck consumer or relay turns gRPC health NOT_SERVING.
    cleanups.push(bindComponentHealth(server.health, health, [BALANCING_SERVICE]));
    cleanups.push(() => health.beginShutdown()); // first: components stop on purpose from here on
    logger.info({ port, plants: models.plantIds() }, 'balancing service started');

    return { port, pool, store, models, reconciler, readModel, trigger, projection, server, health, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
