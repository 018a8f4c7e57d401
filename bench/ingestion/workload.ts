/** The benchmark's synthetic plant: TAGS flow tags, each sampled every spacingMs from `baseMs`. */
export interface LoadSettings {
  readonly address: string;
  readonly token: string;
  readonly tags: number;
  readonly batch: number;
  readonly window: number;
  readonly saturateS: number;
  readonly fixedS: number;
  readonly offered: number;
  readonly baseMs: number;
  readonly spacingMs: number;
}

export interface LoadResult {
  readonly saturatedSamples: number;
  readonly saturatedSeconds: number;
  readonly fixedSamples: number;
  readonly fixedSeconds: number;
  readonly latenciesMs: number[];
  readonly failedBatches: number;
  readonly totalSamples: number;
}

export interface PbSample {
  tagId: string;
  time: { seconds: string; nanos: number };
  value: number;
  quality: number;
}

export const tagId = (i: number) => `FI-${String(i).padStart(5, '0')}.PV`;

/** Samples `from` … `from + batch − 1`: tags round-robin, all (tag, time) distinct. */
export function makeBatch(o: Pick<LoadSettings, 'tags' | 'batch' | 'baseMs' | 'spacingMs'>, from: number): PbSample[] {
  const out: PbSample[] = new Array(o.batch);
  for (let i = 0; i < o.batch; i++) {
    const n = from + i;
    const ms = o.baseMs + Math.floor(n / o.tags) * o.spacingMs;
    out[i] = { tagId: tagId(n % o.tags), time: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 }, value: 50 + 10 * Math.sin(n / 1000), quality: 0 };
  }
  return out;
}
