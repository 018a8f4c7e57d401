import { uniform } from './random';

const HOUR_S = 3600;
const parameters = new Map<string, readonly { readonly omega: number; readonly phase: number }[]>();

/**
 * A smooth, deterministic wander in [−1, 1]: the mean of three sines with periods between 1 h and
 * 8 h and phases drawn from (seed, key).
 */
export const slowWave = (seed: number, key: string, timeS: number): number => {
  const id = `${seed}/${key}`;
  let terms = parameters.get(id);
  if (!terms) {
    terms = [0, 1, 2].map((k) => ({
      omega: (2 * Math.PI) / (HOUR_S * (1 + 7 * uniform(seed, `${key}:period`, k))),
      phase: 2 * Math.PI * uniform(seed, `${key}:phase`, k),
    }));
    if (parameters.size > 100_000) parameters.clear();
    parameters.set(id, terms);
  }
  let sum = 0;
  for (const term of terms) sum += Math.sin(term.omega * timeS + term.phase);
  return sum / 3;
};
