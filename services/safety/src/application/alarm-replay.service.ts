import type { AlarmConfiguration } from '../domain/alarm-config';
import { parseAlarmConfiguration } from '../domain/alarm-config.schema';
import { compareReplays, replayAlarms, type ReplayComparison, type ReplaySample } from '../domain/alarm-replay';
import { invalidRequest, SafetyError, SafetyErrorCode, type FieldViolation } from '../domain/safety.errors';
import type { SampleHistory } from './sample-history.port';

/** Longest period one replay reads. */
export const MAX_REPLAY_MS = 7 * 86_400_000;
const READ_CHUNK_TAGS = 1000;

function tagsOf(config: AlarmConfiguration): string[] {
  const out = new Set(config.tags.map((t) => t.tagId));
  for (const u of config.units) {
    if (u.rule.kind === 'runStatus') out.add(u.rule.tagId);
    else for (const s of u.rule.signals) out.add(s.tagId);
  }
  for (const t of config.tags) {
    if (t.deviation?.setpointTagId) out.add(t.deviation.setpointTagId);
    if (t.discrepancy) out.add(t.discrepancy.redundantTagId);
  }
  return [...out];
}

/**
 * The alarm-rationalisation sandbox: reads a historical period from ingestion's history and runs it
 * through fresh engines under the live and the candidate configuration, in memory only (no event,
 * no engine state, no journal entry), and compares their KPIs and incident detection.
 */
export async function replayAgainstLive(history: SampleHistory, live: AlarmConfiguration, candidateDocument: unknown, fromMs: number, toMs: number, lookBackMs: number): Promise<ReplayComparison> {
  const v: FieldViolation[] = [];
  if (!(toMs > fromMs)) v.push({ field: 'range', description: 'end_time must be after start_time' });
  else if (toMs - fromMs > MAX_REPLAY_MS) v.push({ field: 'range', description: `at most ${MAX_REPLAY_MS / 86_400_000} days` });
  if (v.length > 0) throw invalidRequest(v);
  let candidate: AlarmConfiguration;
  try {
    candidate = parseAlarmConfiguration(candidateDocument);
  } catch (error) {
    if (error instanceof SafetyError) throw invalidRequest(error.fieldViolations.map((x) => ({ field: `candidate_document_json.${x.field}`, description: x.description })), SafetyErrorCode.invalidConfiguration);
    throw error;
  }
  if (candidate.plantId !== live.plantId)
    throw invalidRequest([{ field: 'candidate_document_json.plantId', description: `must be "${live.plantId}"` }], SafetyErrorCode.invalidConfiguration);
  const tags = [...new Set([...tagsOf(live), ...tagsOf(candidate)])];
  const samples: ReplaySample[] = [];
  for (let i = 0; i < tags.length; i += READ_CHUNK_TAGS) samples.push(...(await history.readRaw(tags.slice(i, i + READ_CHUNK_TAGS), fromMs, toMs)));
  samples.sort((a, b) => a.timeMs - b.timeMs);
  return compareReplays(replayAlarms(live, samples, toMs), replayAlarms(candidate, samples, toMs), { startMs: fromMs, endMs: toMs }, lookBackMs);
}
