import type { AlarmActivation } from '../domain/alarm-kpis';

/** The journal's activations (the read model), what KPIs are computed from. */
export interface AlarmActivations {
  /** Activations raised in [from, to), plus those raised earlier and still open at `from`. */
  activations(plantId: string, from: Date, to: Date): Promise<AlarmActivation[]>;
}
