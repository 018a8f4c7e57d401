import type { ModeSpec, ProblemDocument } from './problem.schema';

export interface YieldSource {
  readonly unit: string;
  readonly mode: string;
  readonly source: 'model' | 'reconciled';
  /** For reconciled yields: where they came from and when they were observed. */
  readonly origin?: string;
  readonly observedAt?: string;
  /** Why reconciled yields were not used (stale), if some existed. */
  readonly note?: string;
}

export interface EffectiveYields {
  /** Output yields per `${unit}/${mode}`, t per t of throughput. */
  readonly outputs: ReadonlyMap<string, ModeSpec['outputs']>;
  readonly sources: readonly YieldSource[];
}

/**
 * Plans with reconciled yields (the balancing service's read model) where they exist and are no
 * older than `yieldMaxAgeHours` before the horizon start; otherwise with the model's design
 * yields. The newest fresh reconciled entry per unit/mode wins; a mode-specific entry beats a
 * unit-wide one of the same age.
 */
export function effectiveYields(problem: ProblemDocument): EffectiveYields {
  const start = Date.parse(problem.horizon.start);
  const maxAgeMs = problem.yieldMaxAgeHours * 3_600_000;
  const outputs = new Map<string, ModeSpec['outputs']>();
  const sources: YieldSource[] = [];
  for (const unit of problem.units) {
    for (const mode of unit.modes) {
      const candidates = problem.reconciledYields
        .filter((y) => y.unit === unit.id && (y.mode === undefined || y.mode === mode.id))
        .sort((a, b) => Date.parse(b.observedAt) - Date.parse(a.observedAt) || (b.mode ? 1 : 0) - (a.mode ? 1 : 0));
      const fresh = candidates.find((y) => start - Date.parse(y.observedAt) <= maxAgeMs);
      if (fresh) {
        outputs.set(`${unit.id}/${mode.id}`, fresh.outputs);
        sources.push({ unit: unit.id, mode: mode.id, source: 'reconciled', origin: fresh.source, observedAt: fresh.observedAt });
      } else {
        outputs.set(`${unit.id}/${mode.id}`, mode.outputs);
        const stale = candidates[0];
        sources.push({ unit: unit.id, mode: mode.id, source: 'model', ...(stale ? { note: `reconciled yields of ${stale.observedAt} are older than ${problem.yieldMaxAgeHours} h` } : {}) });
      }
    }
  }
  return { outputs, sources };
}
