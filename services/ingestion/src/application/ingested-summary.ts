import type { SampleRejection } from '../domain/sample';
import type { ValidatedSample } from '../domain/sample-validation';
import type { TagDefinition } from '../domain/tag-definition';

/** What one committed batch brought to one plant: the payload of a MeasurementsIngested event. */
export interface IngestedSummary {
  readonly plantId: string;
  readonly batchId: string;
  /** Tags with at least one accepted sample, in first-seen order. */
  readonly tagIds: string[];
  /** [startMs, endMs) covering the accepted samples' timestamps. */
  readonly startMs: number;
  readonly endMs: number;
  readonly samplesAccepted: number;
  readonly samplesRejected: number;
}

/** One summary per plant with accepted samples; rejections count towards the plant of a known tag. */
export function ingestedSummaries(
  batchId: string,
  valid: readonly ValidatedSample[],
  rejected: readonly SampleRejection[],
  tags: ReadonlyMap<string, TagDefinition>,
): IngestedSummary[] {
  const byPlant = new Map<string, { tagIds: Set<string>; startMs: number; endMs: number; accepted: number; rejected: number }>();
  for (const v of valid) {
    let p = byPlant.get(v.tag.plantId);
    if (!p) byPlant.set(v.tag.plantId, (p = { tagIds: new Set(), startMs: v.sample.timeMs, endMs: v.sample.timeMs + 1, accepted: 0, rejected: 0 }));
    p.tagIds.add(v.tag.id);
    if (v.sample.timeMs < p.startMs) p.startMs = v.sample.timeMs;
    if (v.sample.timeMs + 1 > p.endMs) p.endMs = v.sample.timeMs + 1;
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
    tagIds: [...p.tagIds],
    startMs: p.startMs,
    endMs: p.endMs,
    samplesAccepted: p.accepted,
    samplesRejected: p.rejected,
  }));
}
