import { readFileSync } from 'node:fs';
import { kafkaConnectionOptions } from '@reflux/config';
import { createPgPool, pgPoolOptionsFromConfig, watchDatabaseLiveness, type PgPoolOptions } from '@reflux/database';
import { PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import { bindComponentHealth, createServiceToken, GrpcPlatformServer, grpcPlatformConfigFromEnv, jwtConfigFromEnv, parseJwtConfig, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { kafkaBusConnection, outboxCategory, openServiceBus, type BusMonitoring, type BusSubscription, type KafkaEventBusConfig } from '@reflux/messaging';
import { ComponentHealth } from '@reflux/observability';
import { WorkerSolver, type LinearSolver } from '@reflux/optimization';
import { loadProtoPackage } from '@reflux/proto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { subscribeBalanceReconciled } from './adapters/bus/balance-reconciled.consumer';
import { subscribeSiteTargets } from './adapters/bus/site-targets.consumer';
import { subscribeUnitStates } from './adapters/bus/unit-state.consumer';
import { BalancingYieldsClient } from './adapters/grpc/balancing-yields.client';
import { SCHEDULING_PROTO, SCHEDULING_SERVICE, schedulingServiceImplementation } from './adapters/grpc/scheduling.grpc-service';
import { AdvisoryPlantLock } from './adapters/postgres/advisory-plant-lock';
import { PostgresJobStore } from './adapters/postgres/job-store.postgres';
import { ScheduleReadModel } from './adapters/postgres/schedule-read-model.queries';
import { migrateScheduling } from './adapters/postgres/scheduling.migrations';
import { OptimizationJobs, type PlantModel } from './application/optimization-jobs';
import { ReconciledYieldsReader } from './application/reconciled-yields';
import type { ReconciledYieldsPort } from './application/reconciled-yields.port';
import { replanOnReconciledYields } from './application/yield-replan';
import { reportUnitState } from './application/report-inputs';
import { ScheduleBook } from './application/schedule-book';
import { receiveSiteTargets, reportSiteCapacity, type SiteCoordinationDeps } from './application/site-coordination';
import { scheduleProjection } from './application/schedule.projection';
import { parseProblem } from './domain/parse-problem';
import type { ProblemInput } from './domain/problem.schema';
import type { ReplanSettings } from './domain/replan';
import type { SchedulingConfig } from './scheduling.config';

/** Outbox streams of this service when EVENT_BUS=kafka: `outbox-scheduling-<subject>`. */
export const SCHEDULING_OUTBOX_CATEGORY = outboxCategory('scheduling');
export const SCHEDULING_SOURCE = 'scheduling';

export interface ProductionModelSource {
  readonly document: unknown;
  /** Where it came from (file path), for errors and ListModes. */
  readonly origin: string;
}

export interface SchedulingAppOptions {
  readonly databaseUrl: string;
  readonly pool?: Partial<Omit<PgPoolOptions, 'url'>>;
  /** Apply the schema migrations at start (DATABASE_MIGRATE_ON_START); otherwise run migrate.ts first. Default true. */
  readonly migrateOnStart?: boolean;
  readonly grpc: GrpcPlatformConfigInput;
  readonly models: readonly ProductionModelSource[];
  readonly settings: ReplanSettings;
  readonly autoPublish: boolean;
  readonly planOnStart: boolean;
  readonly replanOnEvents: boolean;
  readonly heartbeatMs: number;
  /** The balancing service's reconciled yields (BALANCING_ADDRESS); absent: model yields only. */
  readonly balancing?: ReconciledYieldsPort & { close?(): void };
  /** Relative yield change above which a `BalanceReconciled` re-plans (default 0.02). */
  readonly yieldReplanThreshold?: number;
  readonly solverWorkers?: number;
  /** Default: a WorkerSolver with `solverWorkers` threads. */
  readonly solver?: LinearSolver;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly kafka?: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    readonly idempotent?: boolean;
    readonly client?: KafkaEventBusConfig['client'];
    readonly topics?: KafkaEventBusConfig['topics'];
    readonly allowAutoTopicCreation?: boolean;
    readonly publishTimeoutMs?: number;
  };
  readonly monitoring?: Pick<BusMonitoring, 'stuckAfterMs' | 'failAfterDeadLetters'>;
  readonly metricsRegistry?: Registry;
}

export interface SchedulingApp {
  readonly port: number;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly jobs: OptimizationJobs;
  readonly jobStore: PostgresJobStore;
  readonly readModel: ScheduleReadModel;
  readonly projection: Subscription;
  readonly server: GrpcPlatformServer;
  stop(): Promise<void>;
}

/** Reads the PRODUCTION_MODEL_FILES documents (JSON). */
export function readProductionModelFiles(paths: readonly string[]): ProductionModelSource[] {
  return paths.map((path) => {
    try {
      return { document: JSON.parse(readFileSync(path, 'utf8')) as unknown, origin: path };
    } catch (error) {
      throw new Error(`production model ${path} is not readable JSON: ${(error as Error).message}`);
    }
  });
}

/** The balancing client of SCHEDULING_BALANCING_*: its token given, or minted from AUTH_JWT_* (role viewer). */
function balancingClientOf(config: Readonly<SchedulingConfig>): BalancingYieldsClient | undefined {
  if (!config.BALANCING_ADDRESS) return undefined;
  const jwt = config.AUTH_JWT_SECRET ? parseJwtConfig(jwtConfigFromEnv(config)) : undefined;
  const token = config.BALANCING_TOKEN ? () => config.BALANCING_TOKEN! : jwt ? () => createServiceToken(jwt, 'scheduling', ['viewer'], { ttlSeconds: 300 }) : () => '';
  return new BalancingYieldsClient({ address: config.BALANCING_ADDRESS, token, timeoutMs: config.BALANCING_TIMEOUT_MS });
}

export function schedulingAppOptions(config: Readonly<SchedulingConfig>, logger: Logger): SchedulingAppOptions {
  const balancing = balancingClientOf(config);
  return {
    ...(balancing && { balancing }),
    yieldReplanThreshold: Number(config.SCHEDULING_YIELD_REPLAN_THRESHOLD),
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    grpc: grpcPlatformConfigFromEnv(config),
    models: readProductionModelFiles(config.PRODUCTION_MODEL_FILES),
    settings: { frozenPeriods: config.SCHEDULING_FROZEN_PERIODS, changePenaltyPerT: config.SCHEDULING_CHANGE_PENALTY_PER_T, modeChangePenalty: config.SCHEDULING_MODE_CHANGE_PENALTY },
    autoPublish: config.SCHEDULING_AUTO_PUBLISH,
    planOnStart: config.SCHEDULING_PLAN_ON_START,
    replanOnEvents: config.SCHEDULING_REPLAN_ON_EVENTS,
    heartbeatMs: config.SCHEDULING_JOB_HEARTBEAT_MS,
    solverWorkers: config.SCHEDULING_SOLVER_WORKERS,
    logger,
    ...(config.EVENT_BUS === 'kafka' && { kafka: kafkaBusConnection(kafkaConnectionOptions(config)) }),
  };
}

/** Validates each production model (field by field) and keys it by plant. */
function plantModels(sources: readonly ProductionModelSource[]): Map<string, PlantModel> {
  const models = new Map<string, PlantModel>();
  for (const source of sources) {
    let parsed;
    try {
      parsed = parseProblem(source.document);
    } catch (error) {
      throw new Error(`production model ${source.origin}: ${(error as Error).message}`);
    }
    if (models.has(parsed.plant)) throw new Error(`production model ${source.origin}: plant "${parsed.plant}" is configured twice`);
    models.set(parsed.plant, { plantId: parsed.plant, document: source.document as ProblemInput, origin: source.origin });
  }
  return models;
}

/**
 * Composition root: migrations, event store and bus, production models, one schedule book per
 * plant, jobs (lock, store, solver), the schedules projection, the unit-state consumer, the gRPC
 * server, and the start-up plan of plants without a published schedule.
 */
export async function startSchedulingApp(o: SchedulingAppOptions): Promise<SchedulingApp> {
  const logger = o.logger;
  const pool = createPgPool({ applicationName: 'scheduling', logger, ...o.pool, url: o.databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  cleanups.push(() => pool.end());
  try {
    const models = plantModels(o.models);
    if (o.migrateOnStart !== false) await migrateScheduling(pool);
    const health = new ComponentHealth(o.metricsRegistry);
    const monitoring: BusMonitoring = { ...o.monitoring, health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) };
    cleanups.push(watchDatabaseLiveness({ pool, health, logger }));
    const store = new PostgresEventStore({ pool, logger, monitoring: { health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) } });
    cleanups.push(() => store.close());
    const { bus, outbox, stop: stopBus } = openServiceBus({ eventStore: store, pool, logger, monitoring, outboxCategory: SCHEDULING_OUTBOX_CATEGORY, relayId: 'scheduling-outbox-relay', ...(o.kafka && { kafka: o.kafka }) });
    cleanups.push(stopBus);

    const solver = o.solver ?? new WorkerSolver({ maxWorkers: o.solverWorkers ?? 1 });
    if (!o.solver) cleanups.push(() => (solver as WorkerSolver).close());

    const books = new Map<string, ScheduleBook>();
    for (const plantId of models.keys()) {
      const book = new ScheduleBook({ store, outbox, source: SCHEDULING_SOURCE }, plantId);
      await book.load();
      books.set(plantId, book);
    }
    const jobStore = new PostgresJobStore(pool, 3 * o.heartbeatMs);
    const aborted = await jobStore.abortStale(new Date(Date.now() - 3 * o.heartbeatMs));
    if (aborted > 0) logger.warn({ aborted }, 'jobs left running by a stopped replica are marked aborted');
    if (o.balancing?.close) cleanups.push(() => o.balancing!.close!());
    const yields = new ReconciledYieldsReader(o.balancing, logger);
    // a proposal that cannot meet supply-chain targets is reported back (coordination is set before any job runs)
    const onProposed = async (plantId: string, proposed: Parameters<typeof reportSiteCapacity>[2], eventId: string, cause: Parameters<typeof reportSiteCapacity>[4]) => {
      await reportSiteCapacity(coordination, plantId, proposed, eventId, cause);
    };
    const jobs = new OptimizationJobs({ store, jobs: jobStore, lock: new AdvisoryPlantLock(pool), solver, books, models, yields, onProposed, settings: o.settings, autoPublish: o.autoPublish, logger, now: o.now, heartbeatMs: o.heartbeatMs });
    const coordination: SiteCoordinationDeps = { store, outbox, jobs, models, source: SCHEDULING_SOURCE, replan: o.replanOnEvents, logger };
    cleanups.push(() => jobs.stop());

    const readModel = new ScheduleReadModel(pool);
    const projection = await startProjection(store, scheduleProjection);
    cleanups.push(() => projection.stop());

    const inputs = { store, jobs, models, replan: o.replanOnEvents };
    const consumer: BusSubscription = await subscribeUnitStates(bus, {
      onUnitState: async ({ plantId, ...report }, cause) => {
        if (!models.has(plantId)) return;
        await reportUnitState(inputs, { plantId, ...report }, 'safety', cause);
      },
    });
    cleanups.push(() => consumer.stop());
    const siteTargets = await subscribeSiteTargets(bus, async (plantId, eventId, targets, cause) => {
      if (models.has(plantId)) await receiveSiteTargets(coordination, plantId, eventId, targets, cause);
    });
    cleanups.push(() => siteTargets.stop());
    if (o.balancing && o.replanOnEvents) {
      const yieldReplan = { jobs, books, models, yields, threshold: o.yieldReplanThreshold ?? 0.02, logger, asked: new Map() };
      const reconciled = await subscribeBalanceReconciled(bus, async (plantId, cause) => {
        if (models.has(plantId)) await replanOnReconciledYields(yieldReplan, plantId, cause);
      });
      cleanups.push(() => reconciled.stop());
    }

    const server = new GrpcPlatformServer({ config: o.grpc, logger, metricsRegistry: o.metricsRegistry });
    server.addService(loadProtoPackage(SCHEDULING_PROTO), SCHEDULING_SERVICE, schedulingServiceImplementation({ ...inputs, jobStore, books, readModel }));
    const port = await server.start();
    cleanups.push(() => server.shutdown());
    cleanups.push(bindComponentHealth(server.health, health, [SCHEDULING_SERVICE]));
    cleanups.push(() => health.beginShutdown());

    if (o.planOnStart) for (const [plantId, book] of books) if (book.current.published === null) void jobs.replan(plantId, 'startup');
    logger.info({ port, plants: [...models.keys()], autoPublish: o.autoPublish }, 'scheduling service started');
    return { port, pool, store, jobs, jobStore, readModel, projection, server, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
