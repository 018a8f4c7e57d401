import { invalid } from '../../domain/gateway.errors';
import type { Caller, SnapshotSource } from '../../application/snapshot-source.port';
import { isoOf, type GrpcTimestamp, type GrpcUpstream } from './grpc-upstream';

interface UnitPeriod { period: number; startTime?: GrpcTimestamp | null; modeId: string; throughputT: number; changingOver: boolean; available: boolean }
interface Schedule {
  scheduleId: string;
  plantId: string;
  state: string;
  reason: string;
  horizonStartTime?: GrpcTimestamp | null;
  periods: number;
  periodHours: number;
  formulation: string;
  solverStatus: string;
  objective: number;
  gapPercent?: number | null;
  currency: string;
  energyCost: number;
  co2T: number;
  units: { unitId: string; periods: UnitPeriod[] }[];
  unavailableUnitIds: string[];
  frozenPeriods: number;
  proposeTime?: GrpcTimestamp | null;
  publishTime?: GrpcTimestamp | null;
  publishedBy: string;
}

const PLANT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Quantities carry their unit in the key: `throughputT` (t), `periodHours` (h), `co2T` (t). */
const scheduleView = (s: Schedule | null | undefined) =>
  s
    ? {
        scheduleId: s.scheduleId,
        state: s.state.replace(/^SCHEDULE_STATE_/, '').toLowerCase(),
        reason: s.reason,
        horizonStart: isoOf(s.horizonStartTime),
        periods: s.periods,
        periodHours: s.periodHours,
        frozenPeriods: s.frozenPeriods,
        formulation: s.formulation,
        solverStatus: s.solverStatus,
        objective: s.objective,
        gapPercent: s.gapPercent ?? undefined,
        currency: s.currency,
        energyCost: s.energyCost,
        co2T: s.co2T,
        unavailableUnitIds: s.unavailableUnitIds,
        units: s.units.map((u) => ({
          unitId: u.unitId,
          periods: u.periods.map((p) => ({ period: p.period, start: isoOf(p.startTime), modeId: p.modeId, throughputT: p.throughputT, changingOver: p.changingOver, available: p.available })),
        })),
        proposedAt: isoOf(s.proposeTime),
        publishedAt: isoOf(s.publishTime),
        publishedBy: s.publishedBy || undefined,
      }
    : null;

/**
 * `/v1/snapshot/schedule?plantId=…`: the published schedule of a plant and the newer proposal, if
 * any (scheduling GetSchedule); each unit's mode per period, the frozen window in periods.
 */
export class SchedulingScheduleSnapshot implements SnapshotSource {
  readonly kind = 'schedule';
  readonly service = 'scheduling';
  constructor(
    private readonly upstream: GrpcUpstream,
    private readonly defaultPlantId: string | undefined,
  ) {}

  async read(query: URLSearchParams, caller: Caller): Promise<unknown> {
    const plantId = query.get('plantId') ?? this.defaultPlantId;
    if (!plantId) throw invalid([{ field: 'plantId', description: 'required (no default plant is configured)' }]);
    if (!PLANT.test(plantId)) throw invalid([{ field: 'plantId', description: `${JSON.stringify(plantId.slice(0, 80))} is not a plant id` }]);
    const response = await this.upstream.call<{ published?: Schedule | null; proposed?: Schedule | null }>('GetSchedule', { plantId }, caller);
    return { plantId, published: scheduleView(response.published), proposed: scheduleView(response.proposed) };
  }
}
