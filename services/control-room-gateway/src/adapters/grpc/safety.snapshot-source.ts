import { invalid } from '../../domain/gateway.errors';
import type { AlarmActions, Caller, SnapshotSource } from '../../application/snapshot-source.port';
import { isoOf, timestampOf, type GrpcUpstream } from './grpc-upstream';

interface Alarm {
  plantId: string;
  alarmId: string;
  tagId: string;
  kind: string;
  priority: string;
  area: string;
  console: string;
  status: string;
  conditionActive: boolean;
  acknowledged: boolean;
  raisedTime?: { seconds?: string; nanos?: number } | null;
  value?: number | null;
  limit?: number | null;
  shelfExpiryTime?: { seconds?: string; nanos?: number } | null;
  shelvedBy: string;
  shelfReason: string;
  updateTime?: { seconds?: string; nanos?: number } | null;
}

const alarmView = (a: Alarm) => ({
  plantId: a.plantId,
  alarmId: a.alarmId,
  tagId: a.tagId,
  kind: a.kind,
  priority: a.priority,
  area: a.area,
  console: a.console,
  status: a.status,
  conditionActive: a.conditionActive,
  acknowledged: a.acknowledged,
  raisedAt: isoOf(a.raisedTime),
  value: a.value ?? undefined,
  limit: a.limit ?? undefined,
  shelfExpiresAt: isoOf(a.shelfExpiryTime),
  shelvedBy: a.shelvedBy || undefined,
  shelfReason: a.shelfReason || undefined,
  updatedAt: isoOf(a.updateTime),
});

/** `/v1/snapshot/alarms?plantId=…&area=…`: active alarms (safety ListActiveAlarms, every page). */
export class SafetyAlarmsSnapshot implements SnapshotSource, AlarmActions {
  readonly kind = 'alarms';
  readonly service = 'safety';
  constructor(
    private readonly upstream: GrpcUpstream,
    private readonly defaultPlantId: string | undefined,
  ) {}

  async read(query: URLSearchParams, caller: Caller): Promise<unknown> {
    const plantId = query.get('plantId') ?? this.defaultPlantId;
    if (!plantId) throw invalid([{ field: 'plantId', description: 'required (no default plant is configured)' }]);
    const alarms: Alarm[] = [];
    let pageToken = '';
    for (let page = 0; page < 50; page++) {
      const response = await this.upstream.call<{ alarms: Alarm[]; nextPageToken: string }>(
        'ListActiveAlarms',
        { plantId, area: query.get('area') ?? '', console: query.get('console') ?? '', pageSize: 500, pageToken },
        caller,
      );
      alarms.push(...response.alarms);
      if (!response.nextPageToken) break;
      pageToken = response.nextPageToken;
    }
    return { plantId, alarms: alarms.map(alarmView) };
  }

  async acknowledge(request: { plantId: string; alarmId: string; reason: string }, caller: Caller): Promise<unknown> {
    const response = await this.upstream.call<{ alarm: Alarm }>('AcknowledgeAlarm', request, caller);
    return { alarm: alarmView(response.alarm) };
  }

  async shelve(request: { plantId: string; alarmId: string; reason: string; expiresAt: Date }, caller: Caller): Promise<unknown> {
    const response = await this.upstream.call<{ alarm: Alarm }>(
      'ShelveAlarm',
      { plantId: request.plantId, alarmId: request.alarmId, reason: request.reason, expiryTime: timestampOf(request.expiresAt) },
      caller,
    );
    return { alarm: alarmView(response.alarm) };
  }
}
