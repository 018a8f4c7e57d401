import { isBadQuality } from './alarm-engine';

/** What a grid remembers between batches (JSON-serialisable, stored with the early-warning state). */
export interface SampleGridState {
  /** Latest good value of each variable and its sample time (null: not seen yet). */
  readonly values: (number | null)[];
  readonly timesMs: (number | null)[];
  /** The next grid instant to emit, or null before the first sample. */
  readonly nextMs: number | null;
}

export interface GridRow {
  readonly timeMs: number;
  readonly values: readonly number[];
}

/**
 * Turns the samples of a set of tags (each on its own clock, exception-reported or not) into rows on
 * a regular grid of `periodMs`: the row at instant g holds each tag's latest good value at or before g
 * (zero-order hold). A row is emitted once a sample later than g arrives, so it never changes after;
 * it is skipped while any tag is unseen or its value is older than `maxHoldMs` (a stale or silent
 * transmitter must not freeze into the model). The service fits models on history and scores live
 * data through the same grid, so both see identical rows. Samples must arrive in time order.
 */
export class SampleGrid {
  private readonly index: Map<string, number>;
  private readonly values: (number | null)[];
  private readonly timesMs: (number | null)[];
  private nextMs: number | null;

  constructor(
    readonly variables: readonly string[],
    readonly periodMs: number,
    readonly maxHoldMs: number,
    state?: SampleGridState,
  ) {
    if (!(periodMs > 0) || !(maxHoldMs >= periodMs)) throw new RangeError(`grid period ${periodMs} ms must be > 0 and the hold ${maxHoldMs} ms at least one period`);
    this.index = new Map(variables.map((v, j) => [v, j]));
    const fits = state !== undefined && state.values.length === variables.length && state.timesMs.length === variables.length;
    this.values = fits ? [...state.values] : variables.map(() => null);
    this.timesMs = fits ? [...state.timesMs] : variables.map(() => null);
    this.nextMs = fits ? state.nextMs : null;
  }

  /** Applies one sample; returns the rows completed by it (grid instants strictly before its time). */
  push(tagId: string, timeMs: number, value: number, quality: number, out: GridRow[] = []): GridRow[] {
    const j = this.index.get(tagId);
    if (j === undefined) return out;
    this.advanceTo(timeMs, out);
    if (!isBadQuality(quality) && Number.isFinite(value) && timeMs >= (this.timesMs[j] ?? Number.NEGATIVE_INFINITY)) {
      this.values[j] = value;
      this.timesMs[j] = timeMs;
    }
    return out;
  }

  /** Emits the rows of grid instants before `timeMs` (a sample at `timeMs` may still belong to it). */
  advanceTo(timeMs: number, out: GridRow[] = []): GridRow[] {
    if (this.nextMs === null) {
      this.nextMs = Math.ceil(timeMs / this.periodMs) * this.periodMs;
      return out;
    }
    // Past the oldest held value plus the hold no instant can be filled: skip those instead of walking them.
    let lastFillable = Number.POSITIVE_INFINITY;
    for (const t of this.timesMs) lastFillable = Math.min(lastFillable, t === null ? Number.NEGATIVE_INFINITY : t + this.maxHoldMs);
    for (; this.nextMs < timeMs && this.nextMs <= lastFillable; this.nextMs += this.periodMs) {
      const row = this.rowAt(this.nextMs);
      if (row) out.push(row);
    }
    if (this.nextMs < timeMs) this.nextMs = Math.ceil(timeMs / this.periodMs) * this.periodMs;
    return out;
  }

  state(): SampleGridState {
    return { values: [...this.values], timesMs: [...this.timesMs], nextMs: this.nextMs };
  }

  private rowAt(g: number): GridRow | undefined {
    const values: number[] = new Array<number>(this.values.length);
    for (let j = 0; j < this.values.length; j++) {
      const t = this.timesMs[j];
      if (t === null || g - t > this.maxHoldMs) return undefined;
      values[j] = this.values[j]!;
    }
    return { timeMs: g, values };
  }
}

/** The grid rows of samples in any order (a history read): sorted by time, then pushed through a fresh grid. */
export function gridRows(variables: readonly string[], periodMs: number, maxHoldMs: number, samples: readonly { tagId: string; timeMs: number; value: number; quality: number }[], untilMs: number): GridRow[] {
  const grid = new SampleGrid(variables, periodMs, maxHoldMs);
  const sorted = [...samples].sort((a, b) => a.timeMs - b.timeMs);
  const rows: GridRow[] = [];
  for (const s of sorted) grid.push(s.tagId, s.timeMs, s.value, s.quality, rows);
  grid.advanceTo(untilMs, rows);
  return rows;
}
