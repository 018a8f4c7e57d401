import { unary, type ServiceImplementation } from '@reflux/grpc';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import { replayAgainstLive } from '../../application/alarm-replay.service';
import type { PlantSafety } from '../../application/plant-safety';
import type { SampleHistory } from '../../application/sample-history.port';
import type { ReplaySummary } from '../../domain/alarm-replay';
import type { FieldViolation } from '../../domain/safety.errors';
import { dateToTimestamp, kpisOf, timestampToDate } from './safety.grpc-mapper';

const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;
const DEFAULT_LOOK_BACK_S = 1800;

const summaryOf = (s: ReplaySummary): v1.ReplaySummary => ({
  activations: s.activations,
  floodIntervals: s.floodIntervals,
  peakAlarmsPer10Min: s.peakAlarmsPer10Min,
  chatteringAlarmIds: [...s.chatteringAlarms],
  staleAlarmIds: [...s.staleAlarms],
  consoles: s.consoles.map(kpisOf),
});

/** ReplayAlarmConfiguration: the sandbox reads history and touches nothing live. */
export function replayHandler(history: SampleHistory, plantOf: (plantId: string, violations?: FieldViolation[]) => PlantSafety): ServiceImplementation {
  return {
    ReplayAlarmConfiguration: unary<v1.ReplayAlarmConfigurationRequest, v1.ReplayAlarmConfigurationResponse>(READERS, async (r) => {
      const v: FieldViolation[] = [];
      let document: unknown;
      try {
        document = JSON.parse(r.candidateDocumentJson);
      } catch (error) {
        v.push({ field: 'candidate_document_json', description: `is not JSON: ${(error as Error).message}` });
      }
      const from = r.range?.startTime ? timestampToDate(r.range.startTime) : undefined;
      const to = r.range?.endTime ? timestampToDate(r.range.endTime) : undefined;
      if (!from || !to) v.push({ field: 'range', description: 'start_time and end_time are required' });
      if (r.lookBackS < 0) v.push({ field: 'look_back_s', description: 'must not be negative' });
      const plant = plantOf(r.plantId, v);
      const cmp = await replayAgainstLive(history, plant.config.config, document, from!.getTime(), to!.getTime(), (r.lookBackS || DEFAULT_LOOK_BACK_S) * 1000);
      return {
        live: summaryOf(cmp.live),
        candidate: summaryOf(cmp.candidate),
        alarmsAvoided: cmp.alarmsAvoided,
        incidents: cmp.incidents.map((i) => ({
          unitId: i.unitId,
          tripTime: dateToTimestamp(new Date(i.trippedAtMs)),
          ...(i.liveLeadS !== null && { liveLeadS: i.liveLeadS }),
          ...(i.candidateLeadS !== null && { candidateLeadS: i.candidateLeadS }),
        })),
      };
    }),
  };
}
