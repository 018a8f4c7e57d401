import { env, extendPlatformConfig, loadConfig, type Env } from '@reflux/config';
import type { z } from 'zod';

/** Environment of the supply-chain service: the platform variables plus these (see README.md). */
export const supplyChainConfigSchema = extendPlatformConfig({
  GRPC_PORT: env.port({ default: 50055 }),
  /** The network document (JSON; see README.md and `reflux supply schema`). */
  SUPPLY_NETWORK_FILE: env.filePath(),
  /** Periods after the current one whose production and departures a re-allocation keeps. */
  SUPPLY_FROZEN_PERIODS: env.int({ min: 0, max: 366 }, { default: 1 }),
  /** Money per tonne made or shipped other than planned (re-allocation), in the network's currency. */
  SUPPLY_DEVIATION_PENALTY_PER_T: env.int({ min: 0, max: 1_000_000 }, { default: 1 }),
  /** How many periods a site stays out after one of its units trips (UnitTripped / UnitStateChanged). */
  SUPPLY_TRIP_OUTAGE_PERIODS: env.int({ min: 1, max: 366 }, { default: 2 }),
  /** How many periods, from the one in which it was found, a suspected loss (LossSuspected) takes its mass rate off the site. */
  SUPPLY_LOSS_DERATE_PERIODS: env.int({ min: 1, max: 366 }, { default: 2 }),
  /** Solver time limit of Optimize (default) and of a re-allocation, seconds. */
  SUPPLY_OPTIMIZE_TIME_LIMIT_S: env.int({ min: 1, max: 3600 }, { default: 60 }),
  /** Budget of a re-allocation (formulation, the LP with the plan's modules, the warm-started MILP), seconds. */
  SUPPLY_REALLOCATION_TIME_LIMIT_S: env.int({ min: 1, max: 600 }, { default: 4 }),
  /** Relative MIP gap, in hundredths of a percent (100 = 1 %). */
  SUPPLY_MIP_GAP_BP: env.int({ min: 0, max: 5000 }, { default: 100 }),
  /** Allocate once at start when there is no allocation yet. */
  SUPPLY_OPTIMIZE_ON_START: env.bool({ default: true }),
});

export type SupplyChainConfig = z.output<typeof supplyChainConfigSchema>;

export const loadSupplyChainConfig = (source: Env = process.env): Readonly<SupplyChainConfig> => loadConfig(supplyChainConfigSchema, source);
