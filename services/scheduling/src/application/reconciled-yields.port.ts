import type { BalancingYields } from '../domain/reconciled-yields';

/** The balancing service's read model of reconciled yields. */
export interface ReconciledYieldsPort {
  /** The yields of the plant's latest reconciled window; undefined when there is none. Rejects when balancing cannot be reached. */
  latest(plantId: string): Promise<BalancingYields | undefined>;
}
