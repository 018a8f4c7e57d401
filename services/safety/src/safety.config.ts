import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** Environment of the safety service: the platform variables plus these (see README.md). */
export const safetyConfigSchema = extendPlatformConfig(
  {
    GRPC_PORT: env.port({ default: 50054 }),
    ALARM_CONFIG_FILES: env.list({ expected: 'absolute paths of alarm-configuration JSON files', test: (s) => isAbsolute(s) }),
    INGESTION_ADDRESS: env.text({ default: '127.0.0.1:50051', pattern: HOST_PORT, patternName: 'host:port' }),
    INGESTION_TOKEN: env.text({ optional: true, secret: true }),
    INGESTION_TIMEOUT_MS: env.int({ min: 100, max: 600_000 }, { default: 10_000 }),
    /** TLS to ingestion: on with INGESTION_TLS=true (system CAs) or a CA file; a client certificate for mutual TLS. */
    INGESTION_TLS: env.bool({ default: false }),
    INGESTION_TLS_CA_FILE: env.filePath({ optional: true }),
    INGESTION_TLS_CERT_FILE: env.filePath({ optional: true }),
    INGESTION_TLS_KEY_FILE: env.filePath({ optional: true }),
    /** Name ingestion's certificate carries when it differs from the host of INGESTION_ADDRESS. */
    INGESTION_TLS_SERVER_NAME: env.text({ optional: true, pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, patternName: 'a DNS name' }),
    /** Period of the timer that completes delays on quiet tags and expires shelves. */
    SAFETY_TICK_INTERVAL_MS: env.int({ min: 100, max: 60_000 }, { default: 1000 }),
    /** Delays on quiet tags complete once wall-clock time minus this has passed them (samples may arrive this late). */
    SAFETY_HOLD_GRACE_S: env.int({ min: 0, max: 3600 }, { default: 10 }),
    /** Periods of the AlarmKpiReport event (hour, day = plant-local day); `none` for no reports. */
    SAFETY_KPI_REPORT_PERIODS: env.list({ expected: 'hour, day or none', test: (s) => ['hour', 'day', 'none'].includes(s) }, { default: ['hour', 'day'] }),
    /** A period is reported this long after it ends (late samples, the journal projection). */
    SAFETY_KPI_REPORT_DELAY_S: env.int({ min: 0, max: 86_400 }, { default: 120 }),
  },
  (c, ctx) => {
    if (c.AUTH_JWT_SECRET === undefined && c.INGESTION_TOKEN === undefined && c.AUTH_DISABLED !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['INGESTION_TOKEN'],
        message: 'required when AUTH_JWT_SECRET is not set: safety needs a bearer token (role viewer) for the ingestion service',
      });
  },
);

export type SafetyConfig = z.output<typeof safetyConfigSchema>;

export const loadSafetyConfig = (source: Env = process.env): Readonly<SafetyConfig> => loadConfig(safetyConfigSchema, source);
