import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { createDevelopmentToken, GrpcPlatformServer, grpcPlatformConfigFromEnv, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import { KafkaEventBus, outboxCategory, OutboxRelay, PostgresEventBus, TransactionalOutbox, type BusSubscription, type EventBus, type KafkaEventBusConfig, kafkaBusConnection } from '@reflux/messaging';
import { parsePlantModel, type PlantModelFormat } from '@reflux/plant-model';
import { loadProtoPackage } from '@reflux/proto';
import type { Registry } from 'prom-client';
import { PrometheusReconciliationMetrics } from './adapters/metrics/prometheus-reconciliation.metrics';
import type { Pool } from 'pg';
import { createPgPool, pgPoolOptionsFromConfig, type PgPoolOptions } from '@reflux/database';
import type { Logger } from 'pino';
import { subscribeMeasurementsIngested } from './adapters/bus/measurements-ingested.consumer';
import { BALANCING_PROTO, BALANCING_SERVICE, balancingServiceImplementation } from './adapters/grpc/balancing.grpc-service';
import { IngestionHistorySource } from './adapters/history/ingestion.history-source';
import { migrateBalancing } from './adapters/postgres/balancing.migrations';
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
  };
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
  /** Drains gRPC, stops the schedule, consumers and projection, closes the pool. */
  stop(): Promise<void>;
}

/** Reads the PLANT_MODEL_FILES documents (YAML unless the name ends in .json). */
export function readPlantModelFiles(paths: readonly string[]): PlantModelSource[] {
  return paths.map((path) => ({ document: readFileSync(path, 'utf8'), format: extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', origin: path }));
}

/** The options of a process started from its environment configuration. */
export function balancingAppOptions(config: Readonly<BalancingConfig>, logger: Logger): BalancingAppOptions {
  const token = config.INGESTION_TOKEN
    ? () => config.INGESTION_TOKEN!
    : config.AUTH_JWT_SECRET
      ? () => createDevelopmentToken(config.AUTH_JWT_SECRET!, ['viewer'], 'balancing', { ttlSeconds: 300 })
      : () => '';
  return {
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    // GRPC_*, AUTH_*, TLS_* and SHUTDOWN_GRACE_MS, read as every service reads them
    grpc: grpcPlatformConfigFromEnv(config),
    plantModels: readPlantModelFiles(config.PLANT_MODEL_FILES),
    history: new IngestionHistorySource({ address: config.INGESTION_ADDRESS, token, timeoutMs: config.INGESTION_TIMEOUT_MS, logger }),
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
    const store = new PostgresEventStore({ pool, logger });
    cleanups.push(() => store.close());

    let bus: EventBus;
    let outbox: TransactionalOutbox;
    if (o.kafka) {
      bus = new KafkaEventBus({ brokers: o.kafka.brokers, clientId: o.kafka.clientId, logger, idempotent: o.kafka.idempotent, client: o.kafka.client });
      // A category of its own: several services may share the database, each relays its own outbox.
      outbox = new TransactionalOutbox({ eventStore: store, category: BALANCING_OUTBOX_CATEGORY });
      const relay = new OutboxRelay({ eventStore: store, bus, logger, category: BALANCING_OUTBOX_CATEGORY, subscriptionId: 'balancing-outbox-relay' });
      relay.start();
      cleanups.push(() => relay.stop());
    } else {
      const pgBus = new PostgresEventBus({ eventStore: store, logger });
      bus = pgBus;
      outbox = pgBus.outbox;
    }
    cleanups.push(() => bus.close());

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
    logger.info({ port, plants: models.plantIds() }, 'balancing service started');

    return { port, pool, store, models, reconciler, readModel, trigger, projection, server, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
