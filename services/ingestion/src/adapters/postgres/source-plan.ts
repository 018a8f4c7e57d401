const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface SourcePart {
  readonly source: 'raw' | '1m' | '1h';
  readonly lo: number;
  readonly hi: number;
}

const ceilTo = (t: number, w: number) => Math.ceil(t / w) * w;
const floorTo = (t: number, w: number) => Math.floor(t / w) * w;

/**
 * Splits [fromMs, toMs) into the parts read from the 1-hour rollup, the 1-minute rollup and raw
 * samples. A rollup bucket is used only when it lies wholly inside the range and before
 * `materialisedTo`, and inside one output bucket (the output width is a multiple of its width;
 * output buckets are epoch-aligned like the rollups). Empty parts are left out.
 */
export function planSources(fromMs: number, toMs: number, bucketMs: number, materialisedTo: number): SourcePart[] {
  const parts: SourcePart[] = [];
  const push = (source: SourcePart['source'], lo: number, hi: number) => {
    if (hi > lo) parts.push({ source, lo, hi });
  };
  const mLo = ceilTo(fromMs, MINUTE);
  const mHi = floorTo(Math.min(toMs, materialisedTo), MINUTE);
  if (bucketMs % MINUTE !== 0 || mHi <= mLo) {
    push('raw', fromMs, toMs);
    return parts;
  }
  push('raw', fromMs, mLo);
  const hLo = ceilTo(mLo, HOUR);
  const hHi = floorTo(mHi, HOUR);
  if (bucketMs % HOUR === 0 && hHi > hLo) {
    push('1m', mLo, hLo);
    push('1h', hLo, hHi);
    push('1m', hHi, mHi);
  } else {
    push('1m', mLo, mHi);
  }
  push('raw', mHi, toMs);
  return parts;
}
