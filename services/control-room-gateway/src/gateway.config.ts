import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const address = () => env.text({ optional: true, pattern: HOST_PORT, patternName: 'host:port' });

/** Environment of the control-room gateway: the platform variables plus these (see README.md). */
export const gatewayConfigSchema = extendPlatformConfig({
  /** The gateway serves HTTP only; GRPC_PORT is not used. */
  GRPC_PORT: env.port({ allowZero: true, default: 0 }),
  HTTP_HOST: env.text({ default: '127.0.0.1', pattern: /^[A-Za-z0-9.:[\]-]+$/, patternName: 'a host name or IP address' }),
  HTTP_PORT: env.port({ default: 8080 }),
  /** gRPC addresses of the services behind the snapshots; unset: that view says "service not available". */
  INGESTION_ADDRESS: address(),
  BALANCING_ADDRESS: address(),
  SAFETY_ADDRESS: address(),
  SCHEDULING_ADDRESS: address(),
  SUPPLY_CHAIN_ADDRESS: address(),
  /** Plant models (units, streams, time zone) for the overview and local times; a single plant is the default plant. */
  PLANT_MODEL_FILES: env.list({ expected: 'absolute paths of plant-model YAML/JSON files', test: (s) => isAbsolute(s) }, { optional: true }),
  UPSTREAM_TIMEOUT_MS: env.int({ min: 100, max: 120_000 }, { default: 10_000 }),
  /** Plant of the alarm and schedule views when a request names none. */
  GATEWAY_DEFAULT_PLANT: env.text({ optional: true }),
  /** Events kept in memory for live clients; a client further behind is told it lags and resumes from the database. */
  GATEWAY_RING_EVENTS: env.int({ min: 100, max: 1_000_000 }, { default: 20_000 }),
  GATEWAY_RING_BYTES: env.int({ min: 1 << 20, max: 2 ** 31 - 1 }, { default: 64 << 20 }),
  /** Bytes buffered in the gateway per client before it stops writing to it. */
  GATEWAY_CLIENT_BUFFER_BYTES: env.int({ min: 4096, max: 64 << 20 }, { default: 64 << 10 }),
  GATEWAY_CATCH_UP_BATCH: env.int({ min: 10, max: 10_000 }, { default: 500 }),
  GATEWAY_CONCURRENT_CATCH_UPS: env.int({ min: 1, max: 100 }, { default: 4 }),
  GATEWAY_HEARTBEAT_MS: env.int({ min: 1000, max: 300_000 }, { default: 15_000 }),
  /** Longest browser session (the token's own expiry is shorter when it is), seconds. */
  GATEWAY_SESSION_MAX_AGE_S: env.int({ min: 60, max: 30 * 86_400 }, { default: 12 * 3600 }),
  /** Directory of the built page; default: the package's `web/dist`. */
  GATEWAY_WEB_ROOT: env.text({ optional: true }),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (source: Env = process.env): Readonly<GatewayConfig> => loadConfig(gatewayConfigSchema, source);
