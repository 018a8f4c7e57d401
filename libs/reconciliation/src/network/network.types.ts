/**
 * A material-balance network. Flows are in one consistent unit across the network (SI: kg/s
 * unless the document says otherwise in `flowUnit`); sigmas and bounds are in that unit too.
 */
export interface NetworkNode {
  readonly id: string;
  /**
   * Hold-up change of a tank or vessel, as a flow leaving the balance (in − out = accumulation).
   * Measured (from level change × area × density / Δt, see `accumulationFromLevel`) or unmeasured.
   */
  readonly accumulation?: NetworkAccumulation | null;
  /** Whether a leak (unmeasured loss) at this node is a gross-error hypothesis. Default true. */
  readonly leakCandidate?: boolean;
}

export interface NetworkAccumulation {
  readonly measured: boolean;
  readonly value?: number | null;
  readonly sigma?: number | null;
  readonly lower?: number | null;
  readonly upper?: number | null;
}

export interface NetworkStream {
  readonly id: string;
  /** Source node id, or null for the plant boundary (a feed). */
  readonly from: string | null;
  /** Destination node id, or null for the plant boundary (a product). */
  readonly to: string | null;
  readonly measured: boolean;
  readonly value?: number | null;
  readonly sigma?: number | null;
  /** Lower bound; default 0 (flows do not run backwards). null = unbounded. */
  readonly lower?: number | null;
  /** Upper bound (meter range); default none. */
  readonly upper?: number | null;
}

/** Off-diagonal measurement covariance between two measured streams (unit²). */
export interface NetworkCovariance {
  readonly a: string;
  readonly b: string;
  readonly value: number;
}

export interface Network {
  readonly nodes: readonly NetworkNode[];
  readonly streams: readonly NetworkStream[];
  readonly covariance?: readonly NetworkCovariance[];
  readonly flowUnit?: string;
}

export interface ReconcileOptions {
  /** Significance level of every test (global, nodal, measurement, GLR). Default 0.05. */
  readonly alpha?: number;
  /** Respect bounds with a convex QP (HiGHS) when the closed form violates one. Default true. */
  readonly bounds?: boolean;
  /** Always solve the bounded QP, even when the closed form is feasible. Default false. */
  readonly forceQp?: boolean;
  /** Maximum number of gross errors removed by serial elimination. Default 10; 0 disables. */
  readonly maxEliminations?: number;
  /**
   * When to look for (another) gross error: 'global' = while the global χ² test rejects;
   * 'global-or-glr' (default) = also when the largest GLR statistic beats its Šidák-corrected χ²(1)
   * threshold, which has more power for a single gross error in a large network.
   */
  readonly detection?: 'global' | 'global-or-glr';
  /** Consider leaks at nodes as gross-error hypotheses (GLR). Default true. */
  readonly leaks?: boolean;
  /**
   * With `leaks`, also consider gains at nodes — an inflow the model misses (an unmodelled stream,
   * a tie-line not in the model); reported as a leak with a negative magnitude. Default false.
   */
  readonly gains?: boolean;
  /** Compute standard deviations of observable unmeasured flows (one sparse solve each). Default true. */
  readonly unmeasuredSigmas?: boolean;
}
