import { isAbsolute } from 'node:path';
import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import type { z } from 'zod';

/** Environment of the ingestion service: the platform variables plus these (see README.md). */
export const ingestionConfigSchema = extendPlatformConfig(
  {
    GRPC_PORT: env.port({ default: 50051 }),
    /** Plant-model documents whose tags form the tag catalog; the shipped demo plants when unset. */
    PLANT_MODEL_FILES: env.list({ expected: 'absolute paths of plant-model YAML/JSON files', test: (s) => isAbsolute(s) }, { optional: true }),
    INGESTION_TIMESCALE: env.oneOf(['auto', 'timescaledb', 'native'] as const, { default: 'auto' }),
    INGESTION_RETENTION_DAYS: env.int({ min: 1, max: 36_500 }, { default: 400 }),
    INGESTION_COMPRESS_AFTER_DAYS: env.int({ min: 1, max: 36_500 }, { default: 35 }),
    INGESTION_PARTITIONS_AHEAD_DAYS: env.int({ min: 1, max: 60 }, { default: 3 }),
    INGESTION_BACKFILL_HORIZON_S: env.int({ min: 60, max: 3_153_600_000 }, { default: 30 * 86_400 }),
    INGESTION_MAX_FUTURE_SKEW_S: env.int({ min: 0, max: 86_400 }, { default: 300 }),
    INGESTION_DUPLICATE_POLICY: env.oneOf(['replace', 'keep-first', 'keep-both'] as const, { default: 'replace' }),
    INGESTION_MAX_BATCH_SAMPLES: env.int({ min: 1, max: 1_000_000 }, { default: 50_000 }),
    INGESTION_MAX_IN_FLIGHT_SAMPLES: env.int({ min: 1, max: 100_000_000 }, { default: 200_000 }),
    INGESTION_BATCH_ID_RETENTION_S: env.int({ min: 60, max: 31_536_000 }, { default: 7 * 86_400 }),
    INGESTION_ROLLUP_LAG_S: env.int({ min: 0, max: 86_400 }, { default: 120 }),
    INGESTION_MAINTENANCE_INTERVAL_S: env.int({ min: 1, max: 86_400 }, { default: 30 }),
    /** Native PostgreSQL: how often the 1-minute/1-hour rollups fold new raw samples, in short steps. */
    INGESTION_ROLLUP_FOLD_INTERVAL_MS: env.int({ min: 100, max: 600_000 }, { default: 5_000 }),
    /**
     * How many replicas of ingestion run against this database. Latest values are cached per
     * process without Redis, so with more than one replica REDIS_URL is required (a shared cache
     * that every replica updates after each commit); otherwise a replica would serve another's
     * stale latest values.
     */
    INGESTION_REPLICAS: env.int({ min: 1, max: 1_000 }, { default: 1 }),
  },
  (c, ctx) => {
    const horizon = c.INGESTION_BACKFILL_HORIZON_S as number | undefined;
    const retention = c.INGESTION_RETENTION_DAYS as number | undefined;
    if (horizon !== undefined && retention !== undefined && horizon >= retention * 86_400) {
      ctx.addIssue({ code: 'custom', path: ['INGESTION_BACKFILL_HORIZON_S'], message: 'must be shorter than INGESTION_RETENTION_DAYS' });
    }
    const replicas = c.INGESTION_REPLICAS as number | undefined;
    if (replicas !== undefined && replicas > 1 && !c.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: `is required when INGESTION_REPLICAS is ${replicas}: without Redis each replica caches latest values in its own memory and serves stale ones`,
      });
    }
  },
);

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
export const loadIngestionConfig = (e: Env = process.env): Readonly<IngestionConfig> => loadConfig(ingestionConfigSchema, e);
