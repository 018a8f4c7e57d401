import type { Sample } from './sample';
import type { DuplicatePolicy } from './tag-definition';

/** A sample to store together with the policy that decides a clash with a stored one. */
export interface StorableSample extends Sample {
  readonly policy: DuplicatePolicy;
}

/**
 * Resolves clashes inside one batch the way the store resolves clashes with stored rows: for
 * `replace` the last sample of a (tag, time) wins, for `keep-first` the first, for `keep-both` all
 * are kept. The output keeps the input order of the survivors.
 */
export function resolveBatchDuplicates(samples: readonly StorableSample[]): StorableSample[] {
  const winner = new Map<string, number>();
  samples.forEach((s, i) => {
    if (s.policy === 'keep-both') return;
    const key = `${s.tagId}\u0000${s.timeMs}`;
    if (s.policy === 'replace' || !winner.has(key)) winner.set(key, i);
  });
  return samples.filter((s, i) => s.policy === 'keep-both' || winner.get(`${s.tagId}\u0000${s.timeMs}`) === i);
}
