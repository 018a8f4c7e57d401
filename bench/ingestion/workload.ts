/** The benchmark's synthetic plant: TAGS flow tags scanned round-robin, stamped with the wall clock. */
export interface LoadSettings {
  readonly address: string;
  readonly token: string;
  readonly tags: number;
  readonly batch: number;
  readonly window: number;
  readonly saturateS: number;
  readonly fixedS: number;
  readonly offered: number;
}

export interface LoadResult {
  readonly saturatedSamples: number;
  readonly saturatedSeconds: number;
  /** The client process's CPU time during saturation, ms. */
  readonly clientCpuMs: number;
  readonly fixedSamples: number;
  readonly fixedSeconds: number;
  readonly latenciesMs: number[];
  readonly failedBatches: number;
  readonly totalSamples: number;
}

export interface BenchSample {
  tagId: string;
  /** Unix ms. */
  timeMs: number;
  value: number;
  quality: number;
}

export const tagId = (i: number) => `FI-${String(i).padStart(5, '0')}.PV`;

/**
 * Timestamps of scan rounds: each round (one sample of every tag) gets the wall clock when it
 * starts, at least 1 ms after the previous round, so data time follows real time as from a live
 * plant and every (tag, time) is distinct.
 */
export class RoundClock {
  private lastRound = -1;
  private lastMs = 0;

  at(round: number): number {
    if (round !== this.lastRound) {
      this.lastRound = round;
      this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    }
    return this.lastMs;
  }
}

/** Samples `from` … `from + batch − 1`: tags round-robin, all (tag, time) distinct. */
export function makeBatch(o: Pick<LoadSettings, 'tags' | 'batch'>, from: number, clock: RoundClock): BenchSample[] {
  const out: BenchSample[] = new Array(o.batch);
  for (let i = 0; i < o.batch; i++) {
    const n = from + i;
    const ms = clock.at(Math.floor(n / o.tags));
    out[i] = { tagId: tagId(n % o.tags), timeMs: ms, value: 50 + 10 * Math.sin(n / 1000), quality: 0 };
  }
  return out;
}
