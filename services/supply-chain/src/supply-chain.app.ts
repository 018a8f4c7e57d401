import { readFileSync } from 'node:fs';
import { kafkaConnectionOptions } from '@reflux/config';
import { createPgPool, pgPoolOptionsFromConfig, watchDatabaseLiveness, type PgPoolOptions } from '@reflux/database';
import { PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import { bindComponentHealth, GrpcPlatformServer, grpcPlatformConfigFromEnv, type GrpcPlatformConfigInput } from '@reflux/grpc';
import { kafkaBusConnection, outboxCategory, openServiceBus, type BusMonitoring, type BusSubscription, type KafkaEventBusConfig } from '@reflux/messaging';
import { ComponentHealth } from '@reflux/observability';
import { WorkerSolver } from '@reflux/optimization';
import { loadProtoPackage } from '@reflux/proto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { subscribeDisruptions } from './adapters/bus/disruption.consumer';
import { SUPPLY_CHAIN_PROTO, SUPPLY_CHAIN_SERVICE, supplyChainServiceImplementation } from './adapters/grpc/supply-chain.grpc-service';
import { migrateSupplyChain } from './adapters/postgres/supply-chain.migrations';
import { SupplyReadModel } from './adapters/postgres/supply-read-model.queries';
import { causedBy, SupplyCoordinator } from './application/supply-coordinator';
import { supplyReadModelsProjection } from './application/supply-read-models.projection';
import type { Network } from './domain/network.schema';
import { parseNetwork } from './domain/parse-network';
import type { SupplyChainConfig } from './supply-chain.config';

/** Outbox streams of this service when EVENT_BUS=kafka: `outbox-supply_chain-<subject>`. */
export const SUPPLY_CHAIN_OUTBOX_CATEGORY = outboxCategory('supply_chain');
export const SUPPLY_CHAIN_SOURCE = 'supply-chain';

export interface SupplyChainAppOptions {
  readonly databaseUrl: string;
  readonly pool?: Partial<Omit<PgPoolOptions, 'url'>>;
  readonly migrateOnStart?: boolean;
  readonly grpc: GrpcPlatformConfigInput;
  readonly network: Network;
  readonly logger: Logger;
  readonly frozenPeriods: number;
  readonly deviationPenaltyPerT: number;
  readonly tripOutagePeriods: number;
  /** How many periods a suspected loss takes its mass rate off a site (LossSuspected). */
  readonly lossDeratePeriods: number;
  readonly optimizeTimeLimitSeconds: number;
  readonly reallocationTimeLimitSeconds: number;
  /** Fraction (0.01 = 1 %). */
  readonly mipRelativeGap: number;
  readonly optimizeOnStart: boolean;
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
  readonly now?: () => Date;
  readonly metricsRegistry?: Registry;
}

export interface SupplyChainApp {
  readonly port: number;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly coordinator: SupplyCoordinator;
  readonly readModel: SupplyReadModel;
  readonly projection: Subscription;
  readonly server: GrpcPlatformServer;
  stop(): Promise<void>;
}

/** Reads and validates the SUPPLY_NETWORK_FILE document. */
export function readNetworkFile(path: string): Network {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`supply-chain network ${path} is not readable JSON: ${(error as Error).message}`);
  }
  return parseNetwork(document);
}

export function supplyChainAppOptions(config: Readonly<SupplyChainConfig>, logger: Logger): SupplyChainAppOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    grpc: grpcPlatformConfigFromEnv(config),
    network: readNetworkFile(config.SUPPLY_NETWORK_FILE),
    logger,
    frozenPeriods: config.SUPPLY_FROZEN_PERIODS,
    deviationPenaltyPerT: config.SUPPLY_DEVIATION_PENALTY_PER_T,
    tripOutagePeriods: config.SUPPLY_TRIP_OUTAGE_PERIODS,
    lossDeratePeriods: config.SUPPLY_LOSS_DERATE_PERIODS,
    optimizeTimeLimitSeconds: config.SUPPLY_OPTIMIZE_TIME_LIMIT_S,
    reallocationTimeLimitSeconds: config.SUPPLY_REALLOCATION_TIME_LIMIT_S,
    mipRelativeGap: config.SUPPLY_MIP_GAP_BP / 10_000,
    optimizeOnStart: config.SUPPLY_OPTIMIZE_ON_START,
    ...(config.EVENT_BUS === 'kafka' && { kafka: kafkaBusConnection(kafkaConnectionOptions(config)) }),
  };
}

/**
 * Composition root: migrations, event store and bus, the solver (worker threads), the coordinator
 * restored from its streams, the read-model projection, the disruption consumer and the gRPC server.
 */
export async function startSupplyChainApp(o: SupplyChainAppOptions): Promise<SupplyChainApp> {
  const logger = o.logger;
  const pool = createPgPool({ applicationName: 'supply-chain', logger, ...o.pool, url: o.databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  cleanups.push(() => pool.end());
  try {
    if (o.migrateOnStart !== false) await migrateSupplyChain(pool);
    const health = new ComponentHealth(o.metricsRegistry);
    const monitoring: BusMonitoring = { ...o.monitoring, health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) };
    cleanups.push(watchDatabaseLiveness({ pool, health, logger }));
    const store = new PostgresEventStore({ pool, logger, monitoring: { health, ...(o.metricsRegistry && { metrics: o.metricsRegistry }) } });
    cleanups.push(() => store.close());
    const { bus, outbox, stop: stopBus } = openServiceBus({ eventStore: store, pool, logger, monitoring, outboxCategory: SUPPLY_CHAIN_OUTBOX_CATEGORY, relayId: 'supply-chain-outbox-relay', ...(o.kafka && { kafka: o.kafka }) });
    cleanups.push(stopBus);

    const now = o.now ?? (() => new Date());
    // without a fixed start the horizon rolls: period 0 is the day (UTC) the service started
    const network: Network = o.network.horizon.start ? o.network : { ...o.network, horizon: { ...o.network.horizon, start: startOfDay(now()) } };
    const solver = new WorkerSolver({ replaceEndedWorkers: true });
    cleanups.push(() => solver.close());
    const coordinator = new SupplyCoordinator({
      store,
      pool,
      outbox,
      solver,
      network,
      logger,
      source: SUPPLY_CHAIN_SOURCE,
      frozenPeriods: o.frozenPeriods,
      deviationPenaltyPerT: o.deviationPenaltyPerT,
      reallocationTimeLimitSeconds: o.reallocationTimeLimitSeconds,
      mipRelativeGap: o.mipRelativeGap,
      now,
    });
    await coordinator.load();
    // orders listed in the network document are submitted like ERP orders (a restart resends them: nothing changes)
    for (const order of o.network.orders)
      await coordinator.orderCommand('SubmitOrder', order, 'network-file').catch((error: unknown) => logger.warn({ err: error, orderId: order.id }, 'order of the network file not taken (changed since through the API?)'));
    cleanups.push(() => coordinator.queue.idle());

    const readModel = new SupplyReadModel(pool);
    const projection = await startProjection(store, supplyReadModelsProjection);
    cleanups.push(() => projection.stop());

    const report = (what: string) => (error: unknown) => {
      logger.error({ err: error }, `${what} failed`);
      throw error;
    };
    const consumer: BusSubscription = await subscribeDisruptions(bus, {
      unitDown: async (eventId, plantId, unitId, at, correlationId) => {
        const proposal = await coordinator.onUnitDown(eventId, plantId, unitId, at, o.tripOutagePeriods, correlationId).catch(report('re-allocation after a unit trip'));
        if (proposal) logger.info({ allocationId: proposal.allocationId, plantId, unitId, objective: proposal.allocation.objective }, 're-allocated after a unit went down');
      },
      capacityChanged: async (eventId, c, correlationId) => {
        if (!network.sites.some((s) => s.id === c.siteId)) return;
        await coordinator.disrupt({ site: { site: c.siteId, ...(c.processId && { process: c.processId }), fromPeriod: c.fromPeriod, toPeriod: c.toPeriod, availableModules: c.availableModules }, reason: c.reason, source: eventId }, causedBy(eventId, correlationId, 'scheduling'));
      },
      lossSuspected: async (eventId, loss, correlationId) => {
        const proposal = await coordinator.onLossSuspected(eventId, loss, o.lossDeratePeriods, correlationId).catch(report('re-allocation after a suspected loss'));
        if (proposal) logger.info({ allocationId: proposal.allocationId, plantId: loss.plantId, unitId: loss.unitId, objective: proposal.allocation.objective }, 're-allocated after a suspected loss');
      },
    });
    cleanups.push(() => consumer.stop());

    const server = new GrpcPlatformServer({ config: o.grpc, logger, metricsRegistry: o.metricsRegistry });
    server.addService(loadProtoPackage(SUPPLY_CHAIN_PROTO), SUPPLY_CHAIN_SERVICE, supplyChainServiceImplementation({ coordinator, readModel, timeLimitSeconds: o.optimizeTimeLimitSeconds, mipRelativeGap: o.mipRelativeGap }));
    const port = await server.start();
    cleanups.push(() => server.shutdown());
    cleanups.push(bindComponentHealth(server.health, health, [SUPPLY_CHAIN_SERVICE]));
    cleanups.push(() => health.beginShutdown());
    if (o.optimizeOnStart && !coordinator.coordination().latestId && coordinator.openOrders().length > 0) {
      // in the background: the API serves (and the queue orders later commands) while the first allocation is solved
      void coordinator
        .optimize('start', { timeLimitSeconds: o.optimizeTimeLimitSeconds, mipRelativeGap: o.mipRelativeGap })
        .then((first) => logger.info({ allocationId: first.allocationId, objective: first.allocation.objective }, 'first allocation proposed'))
        .catch((error: unknown) => logger.error({ err: error }, 'first allocation failed'));
    }
    logger.info({ port, network: network.name, sites: network.sites.length, lanes: network.lanes.length, horizonStart: network.horizon.start }, 'supply-chain service started');
    return { port, pool, store, coordinator, readModel, projection, server, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function startOfDay(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString();
}
