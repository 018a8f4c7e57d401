import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';
import { parsePersistenceRule } from './domain/suspect-persistence';

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const DECIMAL_FRACTION = /^0?\.\d+$/;

/**
 * Environment of the balancing service: the platform variables plus these (see README.md).
 * Fractions are given as decimals (`0.05`).
 */
export const balancingConfigSchema = extendPlatformConfig(
  {
    GRPC_PORT: env.port({ default: 50052 }),
    PLANT_MODEL_FILES: env.list({ expected: 'absolute paths of plant-model YAML/JSON files', test: (s) => isAbsolute(s) }),
    INGESTION_ADDRESS: env.text({ default: '127.0.0.1:50051', pattern: HOST_PORT, patternName: 'host:port' }),
    INGESTION_TOKEN: env.text({ optional: true, secret: true }),
    INGESTION_TIMEOUT_MS: env.int({ min: 100, max: 600_000 }, { default: 30_000 }),
    /** TLS to ingestion: on with INGESTION_TLS=true (system CAs) or a CA file; a client certificate for mutual TLS. */
    INGESTION_TLS: env.bool({ default: false }),
    INGESTION_TLS_CA_FILE: env.filePath({ optional: true }),
    INGESTION_TLS_CERT_FILE: env.filePath({ optional: true }),
    INGESTION_TLS_KEY_FILE: env.filePath({ optional: true }),
    /** Name ingestion's certificate carries when it differs from the host of INGESTION_ADDRESS. */
    INGESTION_TLS_SERVER_NAME: env.text({ optional: true, pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, patternName: 'a DNS name' }),
    BALANCE_WINDOW_S: env.int({ min: 60, max: 604_800 }, { default: 3600 }),
    BALANCE_SIGMA_SOURCE: env.oneOf(['tag', 'window'] as const, { default: 'tag' }),
    BALANCE_SPREAD_BUCKETS: env.int({ min: 2, max: 240 }, { default: 12 }),
    BALANCE_ALPHA: env.text({ default: '0.05', pattern: DECIMAL_FRACTION, patternName: 'a decimal fraction such as 0.05' }),
    BALANCE_MIN_GOOD_SHARE: env.text({ default: '0.5', pattern: /^(0(\.\d+)?|1(\.0+)?)$/, patternName: 'a fraction 0..1' }),
    BALANCE_MIN_COVERAGE: env.text({ default: '0.9', pattern: /^(0(\.\d+)?|1(\.0+)?)$/, patternName: 'a fraction 0..1' }),
    BALANCE_SCHEDULE_INTERVAL_S: env.int({ min: 0, max: 86_400 }, { default: 60 }),
    BALANCE_SETTLE_S: env.int({ min: 0, max: 86_400 }, { default: 300 }),
    BALANCE_LOOKBACK_WINDOWS: env.int({ min: 1, max: 168 }, { default: 3 }),
    BALANCE_TRIGGER_ON_INGEST: env.bool({ default: true }),
    BALANCE_SUSPECT_PERSISTENCE: env.text({ default: '1/1', pattern: /^\d{1,2}\/\d{1,2}$/, patternName: 'k/n: found in k of the last n windows, e.g. 2/3' }),
  },
  (c, ctx) => {
    const alpha = typeof c.BALANCE_ALPHA === 'string' ? Number(c.BALANCE_ALPHA) : undefined;
    if (alpha !== undefined && !(alpha > 0 && alpha <= 0.5))
      ctx.addIssue({ code: 'custom', path: ['BALANCE_ALPHA'], message: 'must be a significance level in (0, 0.5]' });
    if (typeof c.BALANCE_SUSPECT_PERSISTENCE === 'string' && parsePersistenceRule(c.BALANCE_SUSPECT_PERSISTENCE) === undefined)
      ctx.addIssue({ code: 'custom', path: ['BALANCE_SUSPECT_PERSISTENCE'], message: 'must be k/n with 1 ≤ k ≤ n ≤ 24' });
    if (c.AUTH_JWT_SECRET === undefined && c.INGESTION_TOKEN === undefined && c.AUTH_DISABLED !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['INGESTION_TOKEN'],
        message: 'required when AUTH_JWT_SECRET is not set: balancing needs a bearer token (role viewer) for the ingestion service',
      });
  },
);

export type BalancingConfig = z.output<typeof balancingConfigSchema>;

export const loadBalancingConfig = (source: Env = process.env): Readonly<BalancingConfig> => loadConfig(balancingConfigSchema, source);
