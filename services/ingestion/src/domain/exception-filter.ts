import type { Sample } from './sample';
import type { TagDefinition } from './tag-definition';

export const DEFAULT_EXCEPTION_MAX_S = 600;

interface TagState {
  reported: Sample;
  held?: Sample;
}

/**
 * Exception reporting in the manner of PI: for a tag with a deadband, a sample is passed on when it
 * differs from the last reported value by more than the deadband, when its quality differs, or when
 * `exceptionMaxS` has elapsed since the last report. When a sample passes after others were held
 * back, the last held sample is passed too, so the stored trend keeps its shape (the point where the
 * value started to move). Samples older than the last report (out of order, backfill) pass unchanged
 * and leave the state alone.
 *
 * State lives in memory. A tag without state is "cold" (`coldTags`): the caller seeds it with the
 * tag's latest stored sample (`seed`) before `apply`, so the first sample after a restart is compared
 * with what was stored before it; a tag with no stored sample starts with its first sample, which
 * passes. A held sample is not stored and so not seeded: after a restart the trend resumes at the
 * next sample that passes.
 */
export class ExceptionFilter {
  private readonly state = new Map<string, TagState>();

  /** Ids of the tags among `tags` that have a deadband and no state yet. */
  coldTags(tags: Iterable<TagDefinition>): string[] {
    const cold: string[] = [];
    for (const tag of tags) if (tag.deadband !== undefined && !this.state.has(tag.id)) cold.push(tag.id);
    return cold;
  }

  /**
   * Takes each sample as the last report of its tag, for tags without state only: a state set
   * meanwhile (by a batch applied while the seeds were loading) is newer knowledge and stays.
   */
  seed(latest: Iterable<Sample>): void {
    for (const s of latest) if (!this.state.has(s.tagId)) this.state.set(s.tagId, { reported: s });
  }

  /** Returns the samples to store, in time order per tag. */
  apply(samples: readonly Sample[], tagOf: (tagId: string) => TagDefinition | undefined): Sample[] {
    const out: Sample[] = [];
    const ordered = [...samples].sort((a, b) => a.timeMs - b.timeMs);
    for (const s of ordered) {
      const tag = tagOf(s.tagId);
      if (!tag || tag.deadband === undefined) {
        out.push(s);
        continue;
      }
      const st = this.state.get(s.tagId);
      if (!st) {
        this.state.set(s.tagId, { reported: s });
        out.push(s);
        continue;
      }
      if (s.timeMs <= st.reported.timeMs) {
        out.push(s);
        continue;
      }
      const maxMs = (tag.exceptionMaxS ?? DEFAULT_EXCEPTION_MAX_S) * 1000;
      const passes =
        Math.abs(s.value - st.reported.value) > tag.deadband || s.quality !== st.reported.quality || s.timeMs - st.reported.timeMs >= maxMs;
      if (passes) {
        if (st.held) out.push(st.held);
        st.reported = s;
        st.held = undefined;
        out.push(s);
      } else {
        st.held = s;
      }
    }
    return out;
  }

  /** Forgets the in-memory state of a tag (after a failed write of its samples): it is cold again. */
  forget(tagId: string): void {
    this.state.delete(tagId);
  }
}
