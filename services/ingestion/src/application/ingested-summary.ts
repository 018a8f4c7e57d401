import type { Sample, SampleRejection } from '../domain/sample';
import type { TagDefinition } from '../domain/tag-definition';

/** What one committed batch brought to one plant: the payload of a MeasurementsIngested event. */
export interface IngestedSummary {
  readonly plantId: string;
  readonly batchId: string;
  /** The writer of the batch (batch ids are unique per writer); absent for batches committed before writers were recorded. */
  readonly writer?: string;
  /** Tags with at least one accepted sample, in first-seen order. */
  readonly tagIds: string[];
  /** [startMs, endMs) covering the accepted samples' timestamps. */
  readonly startMs: number;
  readonly endMs: number;
  readonly samplesAccepted: number;
  readonly samplesRejected: number;
}

/**
 * One summary per plant with accepted samples (`valid`, with the tag of each in `validTags`);
 * rejections count towards the plant of a known tag.
 */
export function ingestedSummaries(
  batchId: string,
  valid: readonly Sample[],
  validTags: readonly TagDefinition[],
  rejected: readonly SampleRejection[],
  tags: ReadonlyMap<string, TagDefinition>,
  writer = '',
): IngestedSummary[] {
  const byPlant = new Map<string, { tagIds: Set<string>; startMs: number; endMs: number; accepted: number; rejected: number }>();
  for (let i = 0; i < valid.length; i++) {
    const timeMs = valid[i].timeMs;
    const tag = validTags[i];
    let p = byPlant.get(tag.plantId);
    if (!p) byPlant.set(tag.plantId, (p = { tagIds: new Set(), startMs: timeMs, endMs: timeMs + 1, accepted: 0, rejected: 0 }));
    p.tagIds.add(tag.id);
    if (timeMs < p.startMs) p.startMs = timeMs;
    if (timeMs + 1 > p.endMs) p.endMs = timeMs + 1;
    p.accepted++;
  }
  for (const r of rejected) {
    const plantId = tags.get(r.tagId)?.plantId;
    const p = plantId === undefined ? undefined : byPlant.get(plantId);
    if (p) p.rejected++;
  }
  return [...byPlant].map(([plantId, p]) => ({
    plantId,
    batchId,
    ...(writer === '' ? {} : { writer }),
    tagIds: [...p.tagIds],
    startMs: p.startMs,
    endMs: p.endMs,
    samplesAccepted: p.accepted,
    samplesRejected: p.rejected,
  }));
}
