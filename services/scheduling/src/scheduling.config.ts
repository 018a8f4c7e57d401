import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** Environment of the scheduling service: the platform variables plus these (see README.md). */
export const schedulingConfigSchema = extendPlatformConfig({
  GRPC_PORT: env.port({ default: 50053 }),
  /** One production model (problem document, JSON) per plant. */
  PRODUCTION_MODEL_FILES: env.list({ expected: 'absolute paths of production-model JSON files (problem documents)', test: (s) => isAbsolute(s) }),
  /** Publish every proposal at once; otherwise a planner publishes (a plant's first schedule at start-up is published either way). */
  SCHEDULING_AUTO_PUBLISH: env.bool({ default: false }),
  /** Plan each plant that has no published schedule when the service starts. */
  SCHEDULING_PLAN_ON_START: env.bool({ default: false }),
  /** Re-plan when demands or unit states change (SetDemands, ReportUnitState, UnitTripped, UnitStateChanged). */
  SCHEDULING_REPLAN_ON_EVENTS: env.bool({ default: true }),
  /** Leading periods of a re-plan kept as published (a unit that is down overrides the freeze). */
  SCHEDULING_FROZEN_PERIODS: env.int({ min: 0, max: 168 }, { default: 2 }),
  /** Cost per t of throughput moved away from the published schedule after the frozen window, currency per t. */
  SCHEDULING_CHANGE_PENALTY_PER_T: env.int({ min: 0, max: 1_000_000 }, { default: 2 }),
  /** Cost per unit-period running another mode than published (MILP), currency. */
  SCHEDULING_MODE_CHANGE_PENALTY: env.int({ min: 0, max: 10_000_000 }, { default: 200 }),
  /** How often running jobs are marked alive; one not marked for 3 periods is reported aborted. */
  SCHEDULING_JOB_HEARTBEAT_MS: env.int({ min: 100, max: 60_000 }, { default: 5000 }),
  /** Solver worker threads (concurrent optimisations of different plants). */
  SCHEDULING_SOLVER_WORKERS: env.int({ min: 1, max: 16 }, { default: 1 }),
  /** The balancing service (host:port) whose reconciled yields plans use; unset: model yields only. */
  BALANCING_ADDRESS: env.text({ optional: true, pattern: HOST_PORT, patternName: 'host:port' }),
  /** Bearer token (role viewer) for balancing; unset: minted from AUTH_JWT_SECRET. */
  BALANCING_TOKEN: env.text({ optional: true, secret: true }),
  BALANCING_TIMEOUT_MS: env.int({ min: 100, max: 60_000 }, { default: 5000 }),
  /** A reconciled window re-plans a plant only when a yield moved by more than this fraction (0.02: 2 %). */
  SCHEDULING_YIELD_REPLAN_THRESHOLD: env.text({ default: '0.02', pattern: /^(0(\.\d+)?|1(\.0+)?)$/, patternName: 'a fraction 0..1 such as 0.02' }),
});

export type SchedulingConfig = z.output<typeof schedulingConfigSchema>;

export const loadSchedulingConfig = (source: Env = process.env): Readonly<SchedulingConfig> => loadConfig(schedulingConfigSchema, source);
