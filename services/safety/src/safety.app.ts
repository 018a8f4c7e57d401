import { readFileSync } from 'node:fs';
import { kafkaConnectionOptions } from '@reflux/config';
import { createPgPool, pgPoolOptionsFromConfig, watchDatabaseLiveness, type PgPoolOptions } from '@reflux/database';
import { PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import { bindComponentHealth, createServiceToken, grpcClientTransport, GrpcPlatformServer, grpcPlatformConfigFromEnv, jwtConfigFromEnv, parseJwtConfig, type GrpcClientTransport, type GrpcPlatformConfigInput } from '@reflux/grpc';
import {
  kafkaBusConnection,
  outboxCategory,
  type BusMonitoring,
  type BusSubscription,
  type KafkaEventBusConfig,
  openServiceBus,
} from '@reflux/messaging';
import { ComponentHealth } from '@reflux/observability';
import { loadProtoPackage } from '@reflux/proto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { subscribeMeasurementsIngested } from './adapters/bus/measurements-ingested.consumer';
import { SAFETY_PROTO, SAFETY_SERVICE, safetyServiceImplementation } from './adapters/grpc/safety.grpc-service';
import { IngestionSampleHistory } from './adapters/history/ingestion.sample-history';
import { AlarmReadModel } from './adapters/postgres/alarm-read-model.queries';
import { PostgresEvaluationState } from './adapters/postgres/evaluation-state.postgres';
import { assertSafetyMigrated, migrateSafety } from './adapters/postgres/safety.migrations';
import { AlarmChangeHub } from './application/alarm-change.hub';
import { AlarmConfigurationStore } from './application/alarm-configuration.store';
import type { EarlyWarningMonitor } from './application/early-warning.port';
import { alarmJournalProjection } from './application/alarm-journal.projection';
import { PlantSafety } from './application/plant-safety';
import { AlarmKpiReporter } from './application/alarm-kpi-report';
import { KPI_PERIODS, type KpiPeriod } from './domain/kpi-periods';
import { MonitoringModelStore } from './application/monitoring-model.store';
import { MonitoringModels } from './application/monitoring-models';
import { PcaEarlyWarning } from './application/pca-early-warning.monitor';
import { TrendEarlyWarning } from './application/trend-early-warning.monitor';
import { PostgresEarlyWarningState } from './adapters/postgres/early-warning-state.postgres';
import type { SampleHistory } from './application/sample-history.port';
import type { SafetyConfig } from './safety.config';

/** Outbox streams of this service when EVENT_BUS=kafka: `outbox-safety-<subject>`. */
export const SAFETY_OUTBOX_CATEGORY = outboxCategory('safety');
export const SAFETY_SOURCE = 'safety';
const PROCESSED_RETENTION_MS = 7 * 86_400_000;

export interface AlarmConfigSource {
  readonly document: unknown;
  /** Where it came from, for the configuration event and error messages. */
  readonly origin: string;
}

export interface SafetyAppOptions {
  readonly databaseUrl: string;
  readonly pool?: Partial<Omit<PgPoolOptions, 'url'>>;
  /** Apply the schema migrations at start (DATABASE_MIGRATE_ON_START); otherwise run migrate.ts first. Default true. */
  readonly migrateOnStart?: boolean;
  readonly grpc: GrpcPlatformConfigInput;
  readonly alarmConfigs: readonly AlarmConfigSource[];
  readonly history: SampleHistory;
  readonly logger: Logger;
  /** Timer period (delays on quiet tags, shelf expiry), ms; 0 = no timer (tests drive `tick`). */
  readonly tickIntervalMs: number;
  /** How late samples may arrive: a timer tick completes delays up to now minus this. */
  readonly holdGraceMs: number;
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
  readonly metricsRegistry?: Registry;
  /** Periodic AlarmKpiReport (default hour and day, 120 s after a period ends); periods [] for none. */
  readonly kpiReport?: { readonly periods: readonly KpiPeriod[]; readonly delayMs: number };
  /** Further early-warning monitors handed every committed batch, after PCA and trend (`application/early-warning.port.ts`). */
  readonly earlyWarning?: readonly EarlyWarningMonitor[];
}

export interface SafetyApp {
  readonly port: number;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly plants: ReadonlyMap<string, PlantSafety>;
  readonly readModel: AlarmReadModel;
  readonly projection: Subscription;
  readonly hub: AlarmChangeHub;
  readonly models: MonitoringModels;
  readonly server: GrpcPlatformServer;
  /** Runs one timer tick now (what the interval does). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** Reads the ALARM_CONFIG_FILES documents (JSON). */
export function readAlarmConfigFiles(paths: readonly string[]): AlarmConfigSource[] {
  return paths.map((path) => {
    try {
      return { document: JSON.parse(readFileSync(path, 'utf8')) as unknown, origin: path };
    } catch (error) {
      throw new Error(`alarm configuration ${path} is not readable JSON: ${(error as Error).message}`);
    }
  });
}

/** TLS (or mutual TLS) to ingestion from the INGESTION_TLS_* settings; plaintext when they are unset. */
export function ingestionTransport(config: Readonly<SafetyConfig>): GrpcClientTransport {
  return grpcClientTransport(
    { enabled: config.INGESTION_TLS, caFile: config.INGESTION_TLS_CA_FILE, certFile: config.INGESTION_TLS_CERT_FILE, keyFile: config.INGESTION_TLS_KEY_FILE, serverName: config.INGESTION_TLS_SERVER_NAME },
    'INGESTION_TLS',
  );
}

export function safetyAppOptions(config: Readonly<SafetyConfig>, logger: Logger): SafetyAppOptions {
  // Minted from the AUTH_JWT_* settings ingestion verifies with (same issuer, audience, cap).
  const jwt = config.AUTH_JWT_SECRET ? parseJwtConfig(jwtConfigFromEnv(config)) : undefined;
  const token = config.INGESTION_TOKEN
    ? () => config.INGESTION_TOKEN!
    : jwt
      ? () => createServiceToken(jwt, 'safety', ['viewer'], { ttlSeconds: 300 })
      : () => '';
  return {
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    grpc: grpcPlatformConfigFromEnv(config),
    alarmConfigs: readAlarmConfigFiles(config.ALARM_CONFIG_FILES),
    history: new IngestionSampleHistory({ address: config.INGESTION_ADDRESS, transport: ingestionTransport(config), token, timeoutMs: config.INGESTION_TIMEOUT_MS }),
    logger,
    tickIntervalMs: config.SAFETY_TICK_INTERVAL_MS,
    holdGraceMs: config.SAFETY_HOLD_GRACE_S * 1000,
    kpiReport: { periods: KPI_PERIODS.filter((p) => config.SAFETY_KPI_REPORT_PERIODS.includes(p)), delayMs: config.SAFETY_KPI_REPORT_DELAY_S * 1000 },
    ...(config.EVENT_BUS === 'kafka' && { kafka: kafkaBusConnection(kafkaConnectionOptions(config)) }),
  };
}

/**
 * Composition root: migrations, event store and bus, alarm configurations (imported from files,
 * versioned as events), one PlantSafety per plant restored from its events and engine state, the
 * journal projection, the MeasurementsIngested consumer, the timer and the gRPC server.
 */
export async function startSafetyApp(o: SafetyAppOptions): Promise<SafetyApp> {
  const logger = o.logger;
  const now = o.now ?? (() => new Date());
  const pool = createPgPool({ applicationName: 'safety', logger, ...o.pool, url: o.databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  cleanups.push(() => pool.end());
  try {
    if (o.migrateOnStart !== false) await migrateSafety(pool);
    else await assertSafetyMigrated(pool);
    const health = new ComponentHealth(o.metricsRegistry);
    const monitoring: BusMonitoring = { ...o.monitoring, health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) };
    // PostgreSQL unreachable (a failover, a restart) turns gRPC health NOT_SERVING until it answers.
    cleanups.push(watchDatabaseLiveness({ pool, health, logger }));
    const store = new PostgresEventStore({ pool, logger, monitoring: { health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) } });
    cleanups.push(() => store.close());

    const { bus, outbox, stop: stopBus } = openServiceBus({ eventStore: store, pool, logger, monitoring, outboxCategory: SAFETY_OUTBOX_CATEGORY, relayId: 'safety-outbox-relay', ...(o.kafka && { kafka: o.kafka }) });
    cleanups.push(stopBus);

    const hub = new AlarmChangeHub();
    const state = new PostgresEvaluationState(pool);
    const configurations = new AlarmConfigurationStore(store);
    const plants = new Map<string, PlantSafety>();
    // Early warning: PCA models per unit and trend prediction per tag, handed every committed batch.
    const configurationOf = (plantId: string) => plants.get(plantId)?.config.config;
    const earlyWarningState = new PostgresEarlyWarningState(pool, store, outbox);
    const modelStore = new MonitoringModelStore(store);
    const pca = new PcaEarlyWarning({ models: modelStore, state: earlyWarningState, configurationOf, source: SAFETY_SOURCE, logger });
    const trend = new TrendEarlyWarning({ state: earlyWarningState, configurationOf, source: SAFETY_SOURCE });
    const earlyWarning = [pca, trend, ...(o.earlyWarning ?? [])];
    const models = new MonitoringModels({ store: modelStore, history: o.history, pca, now });
    for (const source of o.alarmConfigs) {
      const configuration = await configurations.importFile(source.document, source.origin);
      const plantId = configuration.config.plantId;
      if (plants.has(plantId)) throw new Error(`alarm configuration ${source.origin}: plant "${plantId}" is configured twice`);
      plants.set(plantId, await PlantSafety.start({ store, outbox, history: o.history, state, configurations, hub, logger, source: SAFETY_SOURCE, earlyWarning }, configuration));
    }
    cleanups.push(() => Promise.all([...plants.values()].map((p) => p.queue.idle())).then(() => undefined));

    const readModel = new AlarmReadModel(pool);
    const projection = await startProjection(store, alarmJournalProjection);
    cleanups.push(() => projection.stop());

    const consumer: BusSubscription = await subscribeMeasurementsIngested(bus, {
      onBatch: async (batchKey, plantId, tagIds, fromMs, toMs, correlationId) => {
        await plants.get(plantId)?.onBatch(batchKey, tagIds, fromMs, toMs, correlationId);
      },
    });
    cleanups.push(() => consumer.stop());

    const kpiReporter = new AlarmKpiReporter({ activations: readModel, state: earlyWarningState, source: SAFETY_SOURCE, periods: o.kpiReport?.periods ?? KPI_PERIODS, delayMs: o.kpiReport?.delayMs ?? 120_000 });
    let lastPrune = 0;
    const tick = async () => {
      const t = now().getTime();
      for (const plant of plants.values()) await plant.tick(t - o.holdGraceMs, t);
      for (const plant of plants.values()) await kpiReporter.tick(plant.plantId, plant.config.config.timeZone ?? 'UTC', t);
      if (t - lastPrune > 3_600_000) {
        lastPrune = t;
        await state.pruneProcessed(new Date(t - PROCESSED_RETENTION_MS));
      }
    };
    if (o.tickIntervalMs > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        tick()
          .catch((error: unknown) => logger.error({ err: error }, 'safety timer tick failed'))
          .finally(() => (running = false));
      }, o.tickIntervalMs);
      timer.unref();
      cleanups.push(() => clearInterval(timer));
    }

    const server = new GrpcPlatformServer({ config: o.grpc, logger, metricsRegistry: o.metricsRegistry });
    server.addService(loadProtoPackage(SAFETY_PROTO), SAFETY_SERVICE, safetyServiceImplementation({ plants, readModel, hub, models, history: o.history }));
    const port = await server.start();
    cleanups.push(() => server.shutdown());
    // A stopped, crashed or stuck consumer, subscription or relay, or an unreachable database, turns gRPC health NOT_SERVING.
    cleanups.push(bindComponentHealth(server.health, health, [SAFETY_SERVICE]));
    cleanups.push(() => health.beginShutdown()); // first: components stop on purpose from here on
    logger.info({ port, plants: [...plants.keys()], alarms: [...plants.values()].reduce((n, p) => n + p.engine.alarms.length, 0) }, 'safety service started');

    return { port, pool, store, plants, readModel, projection, hub, models, server, tick, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
