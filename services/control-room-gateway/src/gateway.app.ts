import { createPgPool, pgPoolOptionsFromConfig, type PgPoolOptions } from '@reflux/database';
import { EVENT_TYPES } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { Authenticator, grpcPlatformConfigFromEnv, parseGrpcPlatformConfig, type GrpcPlatformConfigInput } from '@reflux/grpc';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { BalancingBalancesSnapshot } from './adapters/grpc/balancing.snapshot-source';
import { GrpcUpstream } from './adapters/grpc/grpc-upstream';
import { IngestionTagsSnapshot } from './adapters/grpc/ingestion.snapshot-source';
import { SafetyLimitsSnapshot } from './adapters/grpc/safety-limits.snapshot-source';
import { SafetyAlarmsSnapshot } from './adapters/grpc/safety.snapshot-source';
import { SchedulingScheduleSnapshot } from './adapters/grpc/scheduling.snapshot-source';
import { SupplyChainAllocationSnapshot } from './adapters/grpc/supply-chain.snapshot-source';
import { PlantModelSnapshot, readPlantViews, type PlantView } from './adapters/plant-model/plant-model.snapshot-source';
import { createGatewayServer } from './adapters/http/gateway.http-server';
import { HttpAuth } from './adapters/http/http-auth';
import { StaticAssets } from './adapters/http/static-assets';
import { ensureWebBuilt } from './adapters/http/web-build';
import { PostgresEventLog } from './adapters/postgres/event-log.postgres';
import { PostgresCausationLog } from './adapters/postgres/causation-log.postgres';
import { PostgresLatestBalanceWindows } from './adapters/postgres/latest-balance-windows.postgres';
import { EventFanout, type EventFanoutOptions } from './application/event-fanout';
import type { AlarmActions, SnapshotKind, SnapshotSource } from './application/snapshot-source.port';
import type { GatewayConfig } from './gateway.config';

export interface GatewayAppOptions {
  readonly databaseUrl: string;
  readonly pool?: Partial<Omit<PgPoolOptions, 'url'>>;
  readonly host: string;
  /** 0 binds an ephemeral port (tests). */
  readonly port: number;
  readonly auth: GrpcPlatformConfigInput['auth'];
  readonly upstreams: { readonly ingestion?: string; readonly balancing?: string; readonly safety?: string; readonly scheduling?: string; readonly supplyChain?: string };
  readonly upstreamTimeoutMs: number;
  readonly defaultPlantId?: string;
  /** Plant models read from PLANT_MODEL_FILES; with a single plant it is the default plant. */
  readonly plants?: readonly PlantView[];
  readonly fanout: Omit<EventFanoutOptions, 'eventTypes' | 'observe'>;
  readonly clientBufferBytes: number;
  readonly heartbeatMs: number;
  readonly sessionMaxAgeS: number;
  readonly webRoot?: string;
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
}

export interface GatewayApp {
  readonly port: number;
  readonly url: string;
  readonly pool: Pool;
  readonly fanout: EventFanout;
  stop(): Promise<void>;
}

export const DEFAULT_WEB_ROOT = resolve(__dirname, '..', 'web', 'dist');

export function gatewayAppOptions(config: Readonly<GatewayConfig>, logger: Logger): GatewayAppOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    pool: pgPoolOptionsFromConfig(config, logger),
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    auth: grpcPlatformConfigFromEnv(config).auth,
    upstreams: {
      ingestion: config.INGESTION_ADDRESS,
      balancing: config.BALANCING_ADDRESS,
      safety: config.SAFETY_ADDRESS,
      scheduling: config.SCHEDULING_ADDRESS,
      supplyChain: config.SUPPLY_CHAIN_ADDRESS,
    },
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
    defaultPlantId: config.GATEWAY_DEFAULT_PLANT,
    plants: config.PLANT_MODEL_FILES ? readPlantViews(config.PLANT_MODEL_FILES) : undefined,
    fanout: { ringEvents: config.GATEWAY_RING_EVENTS, ringBytes: config.GATEWAY_RING_BYTES, catchUpBatch: config.GATEWAY_CATCH_UP_BATCH, concurrentCatchUps: config.GATEWAY_CONCURRENT_CATCH_UPS },
    clientBufferBytes: config.GATEWAY_CLIENT_BUFFER_BYTES,
    heartbeatMs: config.GATEWAY_HEARTBEAT_MS,
    sessionMaxAgeS: config.GATEWAY_SESSION_MAX_AGE_S,
    webRoot: config.GATEWAY_WEB_ROOT ?? DEFAULT_WEB_ROOT,
    logger,
  };
}

/**
 * Composition root: the shared PostgreSQL event store (read-only: no migration, no checkpoint), one
 * tail fanned out to SSE and WebSocket clients, one snapshot adapter per service that has an
 * address, and the HTTP server.
 */
export async function startGatewayApp(o: GatewayAppOptions): Promise<GatewayApp> {
  const logger = o.logger;
  const pool = createPgPool({ applicationName: 'control-room-gateway', logger, ...o.pool, url: o.databaseUrl });
  const cleanups: (() => Promise<void> | void)[] = [() => pool.end()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    const eventTypes = Object.values(EVENT_TYPES) as string[];
    const store = new PostgresEventStore({ pool, logger });
    cleanups.push(() => store.close());
    const balanceWindows = new PostgresLatestBalanceWindows();
    await balanceWindows.load(pool);
    const fanout = new EventFanout(new PostgresEventLog(store, eventTypes), { ...o.fanout, eventTypes, observe: (e) => balanceWindows.observe(e) });
    await fanout.start();
    cleanups.push(() => fanout.stop());
    if (o.metricsRegistry) {
      const stat = (name: string, help: string, key: keyof ReturnType<EventFanout['stats']>) =>
        new Gauge({ name, help, registers: [o.metricsRegistry!], collect() { this.set(fanout.stats()[key]); } });
      stat('reflux_gateway_stream_connections', 'Open SSE and WebSocket event streams', 'connections');
      stat('reflux_gateway_lagging_disconnects', 'Streams closed because the client fell behind the in-memory window (total since start)', 'laggingDisconnects');
      stat('reflux_gateway_ring_events', 'Integration events held in memory for live clients', 'ringEvents');
      stat('reflux_gateway_ring_bytes', 'Bytes of the events held in memory for live clients', 'ringBytes');
    }

    const snapshots = new Map<SnapshotKind, SnapshotSource>();
    const defaultPlantId = o.defaultPlantId ?? (o.plants?.length === 1 ? o.plants[0]!.plantId : undefined);
    if (o.plants) snapshots.set('plants', new PlantModelSnapshot(o.plants, defaultPlantId));
    let alarms: AlarmActions | undefined;
    const upstream = (service: string, address: string, proto: string, path: string) => {
      const u = new GrpcUpstream(service, address, proto, path, o.upstreamTimeoutMs);
      cleanups.push(() => u.close());
      return u;
    };
    if (o.upstreams.ingestion) snapshots.set('tags', new IngestionTagsSnapshot(upstream('ingestion', o.upstreams.ingestion, 'reflux/ingestion/v1/ingestion.proto', 'reflux.ingestion.v1.IngestionService')));
    if (o.upstreams.balancing) snapshots.set('balances', new BalancingBalancesSnapshot(upstream('balancing', o.upstreams.balancing, 'reflux/balancing/v1/balancing.proto', 'reflux.balancing.v1.BalancingService'), balanceWindows));
    if (o.upstreams.safety) {
      const safetyUpstream = upstream('safety', o.upstreams.safety, 'reflux/safety/v1/safety.proto', 'reflux.safety.v1.SafetyService');
      const safety = new SafetyAlarmsSnapshot(safetyUpstream, defaultPlantId);
      snapshots.set('alarms', safety);
      snapshots.set('limits', new SafetyLimitsSnapshot(safetyUpstream, defaultPlantId));
      alarms = safety;
    }
    if (o.upstreams.scheduling) snapshots.set('schedule', new SchedulingScheduleSnapshot(upstream('scheduling', o.upstreams.scheduling, 'reflux/scheduling/v1/scheduling.proto', 'reflux.scheduling.v1.SchedulingService'), defaultPlantId));
    if (o.upstreams.supplyChain) snapshots.set('allocation', new SupplyChainAllocationSnapshot(upstream('supply-chain', o.upstreams.supplyChain, 'reflux/supply_chain/v1/supply_chain.proto', 'reflux.supply_chain.v1.SupplyChainService')));

    if (o.webRoot === DEFAULT_WEB_ROOT) await ensureWebBuilt(resolve(DEFAULT_WEB_ROOT, '..'), logger);
    const authenticator = new Authenticator(parseGrpcPlatformConfig({ port: 0, auth: o.auth }).auth);
    const ready = async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    };
    const server = createGatewayServer(
      {
        auth: new HttpAuth(authenticator),
        fanout,
        snapshots,
        alarms,
        eventTypes: new Set(eventTypes),
        clientBufferBytes: o.clientBufferBytes,
        heartbeatMs: o.heartbeatMs,
        sessionMaxAgeS: o.sessionMaxAgeS,
        ready,
        trace: new PostgresCausationLog(pool),
      },
      logger,
      o.webRoot ? new StaticAssets(o.webRoot) : undefined,
    );
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolveListen());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    logger.info({ port, snapshots: [...snapshots.keys()], page: o.webRoot ? join(o.webRoot, 'index.html') : undefined }, 'control-room gateway started');
    return { port, url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`, pool, fanout, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
