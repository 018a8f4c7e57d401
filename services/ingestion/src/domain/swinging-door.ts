import type { Sample } from './sample';
import type { TagDefinition } from './tag-definition';
import { isUsableSample } from './time-weighting';

/** Swinging-door compression of a tag, as PI archives: deviation in the tag's unit, times in s. */
export interface CompressionSettings {
  readonly deviation: number;
  /** Samples within this time after the last archived one are dropped (PI CompMin); 0 by default. */
  readonly minIntervalS?: number;
  /** At least one archived sample this often (PI CompMax); 28 800 s by default. */
  readonly maxIntervalS?: number;
}

export const DEFAULT_COMPRESSION_MAX_S = 28_800;

interface DoorState {
  archived: Sample;
  snapshot?: Sample;
  /** Slope bounds (per ms) of the lines from `archived` that pass within the deviation of every sample after it up to the snapshot. */
  lo: number;
  hi: number;
}

/**
 * Swinging-door compression in the manner of PI: the last archived sample A is the hinge; each
 * sample after it narrows the "door" of slopes whose line from A passes within the deviation of
 * it. A new sample P whose slope from A falls outside the door archives the snapshot (the sample
 * before P), which becomes the new hinge. Error bound: every sample not archived lies within the
 * deviation of the straight line between the archived samples around it (the line A→snapshot was
 * checked against every sample in between). A quality change, an outage (not usable) and
 * `maxIntervalS` archive the snapshot and the new sample; samples within `minIntervalS` of the
 * last archived one are dropped. Out-of-order samples pass unchanged. Like the exception filter,
 * state lives in memory (seeded after a restart with the tag's latest stored sample); a snapshot
 * not yet archived when the process stops is lost, within the deviation of the stored trend.
 */
export class SwingingDoorFilter {
  private readonly state = new Map<string, DoorState>();

  coldTags(tags: Iterable<TagDefinition>): string[] {
    const cold: string[] = [];
    for (const tag of tags) if (tag.compression !== undefined && !this.state.has(tag.id)) cold.push(tag.id);
    return cold;
  }

  seed(latest: Iterable<Sample>): void {
    for (const s of latest) if (!this.state.has(s.tagId)) this.state.set(s.tagId, { archived: s, lo: -Infinity, hi: Infinity });
  }

  forget(tagId: string): void {
    this.state.delete(tagId);
  }

  /** Returns the samples to store (archive), in time order per tag. */
  apply(samples: readonly Sample[], tagOf: (tagId: string) => TagDefinition | undefined): Sample[] {
    const out: Sample[] = [];
    const ordered = [...samples].sort((a, b) => a.timeMs - b.timeMs);
    for (const p of ordered) {
      const c = tagOf(p.tagId)?.compression;
      if (!c) {
        out.push(p);
        continue;
      }
      const st = this.state.get(p.tagId);
      if (!st) {
        this.state.set(p.tagId, { archived: p, lo: -Infinity, hi: Infinity });
        out.push(p);
        continue;
      }
      const last = st.snapshot ?? st.archived;
      if (p.timeMs <= last.timeMs) {
        out.push(p);
        continue;
      }
      const a = st.archived;
      const dt = p.timeMs - a.timeMs;
      if (p.quality !== last.quality || !isUsableSample(p) || !isUsableSample(last) || dt >= (c.maxIntervalS ?? DEFAULT_COMPRESSION_MAX_S) * 1000) {
        if (st.snapshot) out.push(st.snapshot);
        out.push(p);
        this.state.set(p.tagId, { archived: p, lo: -Infinity, hi: Infinity });
        continue;
      }
      if (dt < (c.minIntervalS ?? 0) * 1000) continue;
      const slope = (p.value - a.value) / dt;
      if (st.snapshot && (slope < st.lo || slope > st.hi)) {
        // The door opened: the snapshot is archived and becomes the hinge.
        const s = st.snapshot;
        out.push(s);
        const dts = p.timeMs - s.timeMs;
        this.state.set(p.tagId, { archived: s, snapshot: p, lo: (p.value - c.deviation - s.value) / dts, hi: (p.value + c.deviation - s.value) / dts });
        continue;
      }
      st.lo = Math.max(st.lo, (p.value - c.deviation - a.value) / dt);
      st.hi = Math.min(st.hi, (p.value + c.deviation - a.value) / dt);
      st.snapshot = p;
    }
    return out;
  }
}
