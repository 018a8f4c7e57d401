import { serverStream, unary, type CallContext, type ServiceImplementation } from '@reflux/grpc';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import type { AlarmChange, AlarmChangeHub } from '../../application/alarm-change.hub';
import type { MonitoringModels } from '../../application/monitoring-models';
import type { SampleHistory } from '../../application/sample-history.port';
import type { OperatorAction, PlantSafety } from '../../application/plant-safety';
import { computeAlarmKpis } from '../../domain/alarm-kpis';
import { alarmStatus } from '../../domain/alarm-lifecycle.decider';
import { invalidRequest, SafetyError, SafetyErrorCode, type FieldViolation } from '../../domain/safety.errors';
import type { AlarmReadModel } from '../postgres/alarm-read-model.queries';
import { monitoringHandlers } from './monitoring.grpc-handlers';
import { replayHandler } from './replay.grpc-handler';
import { alarmOf, journalEntryOf, KPI_TARGETS_PROTO, kpisOf, priorityFromProto, statusFromProto, timestampToDate, unitStateToProto, isoToTimestamp } from './safety.grpc-mapper';

export const SAFETY_PROTO = 'reflux/safety/v1/safety.proto';
export const SAFETY_SERVICE = 'reflux.safety.v1.SafetyService';

const OPERATORS = ['operator'] as const;
const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const DAY_MS = 86_400_000;

export interface SafetyGrpcDeps {
  readonly plants: ReadonlyMap<string, PlantSafety>;
  readonly readModel: AlarmReadModel;
  readonly hub: AlarmChangeHub;
  /** Monitoring models of early warning (Fit/Import/Activate/ListMonitoringModels). */
  readonly models: MonitoringModels;
  /** Ingestion's history, read by the replay sandbox. */
  readonly history: SampleHistory;
}

function pageSizeOf(size: number, violations: FieldViolation[], field = 'page_size'): number {
  if (size < 0) violations.push({ field, description: 'must not be negative' });
  return size === 0 ? DEFAULT_PAGE : Math.min(size, MAX_PAGE);
}

function rangeOf(range: v1.GetAlarmJournalRequest['range'], violations: FieldViolation[]): { from: Date; to: Date } {
  const to = range?.endTime ? timestampToDate(range.endTime) : new Date();
  const from = range?.startTime ? timestampToDate(range.startTime) : to && new Date(to.getTime() - DAY_MS);
  if (!from || !to || !(to > from)) violations.push({ field: 'range', description: 'end_time must be after start_time' });
  return { from: from ?? new Date(0), to: to ?? new Date(0) };
}

/** The SafetyService RPCs (admins pass every role check). */
export function safetyServiceImplementation(deps: SafetyGrpcDeps): ServiceImplementation {
  const plantOf = (plantId: string, violations: FieldViolation[] = []): PlantSafety => {
    if (plantId === '') violations.push({ field: 'plant_id', description: 'is required' });
    if (violations.length > 0) throw invalidRequest(violations);
    const plant = deps.plants.get(plantId);
    if (!plant) throw new SafetyError(SafetyErrorCode.plantNotFound, `no alarm configuration for plant "${plantId}"`, { violations: [{ field: 'plant_id', description: `unknown plant; configured: ${[...deps.plants.keys()].join(', ')}` }] });
    return plant;
  };

  const action = <Req extends { plantId: string; alarmId: string }>(kind: OperatorAction, input: (r: Req, violations: FieldViolation[]) => { reason?: string; expiresAt?: Date; text?: string }) =>
    unary<Req, { alarm: v1.Alarm }>(OPERATORS, async (request, ctx: CallContext) => {
      const violations: FieldViolation[] = [];
      if (request.alarmId === '') violations.push({ field: 'alarm_id', description: 'is required' });
      const fields = input(request, violations);
      const plant = plantOf(request.plantId, violations);
      const view = await plant.act(kind, request.alarmId, ctx.principal.subject, fields, ctx.traceId);
      return { alarm: alarmOf(plant.plantId, view) };
    });

  return {
    ListActiveAlarms: unary<v1.ListActiveAlarmsRequest, v1.ListActiveAlarmsResponse>(READERS, (request) => {
      const violations: FieldViolation[] = [];
      const pageSize = pageSizeOf(request.pageSize, violations);
      const priority = request.priority === 'ALARM_PRIORITY_UNSPECIFIED' ? undefined : priorityFromProto(request.priority);
      const status = request.status === 'ALARM_STATUS_UNSPECIFIED' ? undefined : statusFromProto(request.status);
      const after = request.pageToken === '' ? undefined : Buffer.from(request.pageToken, 'base64url').toString('utf8');
      const plant = plantOf(request.plantId, violations);
      const matching = plant.activeAlarms().filter((a) => {
        const id = a.state.identity;
        return (
          (after === undefined || a.alarmId > after) &&
          (request.area === '' || id?.area === request.area) &&
          (request.console === '' || id?.console === request.console) &&
          (request.tagId === '' || id?.tagId === request.tagId) &&
          (priority === undefined || id?.priority === priority) &&
          (status === undefined || a.status === status)
        );
      });
      const page = matching.slice(0, pageSize);
      return {
        alarms: page.map((a) => alarmOf(plant.plantId, a)),
        nextPageToken: matching.length > pageSize ? Buffer.from(page[page.length - 1].alarmId, 'utf8').toString('base64url') : '',
      };
    }),

    GetAlarmJournal: unary<v1.GetAlarmJournalRequest, v1.GetAlarmJournalResponse>(READERS, async (request) => {
      const violations: FieldViolation[] = [];
      const pageSize = pageSizeOf(request.pageSize, violations);
      const { from, to } = rangeOf(request.range, violations);
      const before = request.pageToken === '' ? undefined : Number(request.pageToken);
      if (before !== undefined && !Number.isSafeInteger(before)) violations.push({ field: 'page_token', description: 'is not a token this service issued' });
      const plant = plantOf(request.plantId, violations);
      const rows = await deps.readModel.journal(plant.plantId, from, to, request.alarmId || undefined, pageSize + 1, before);
      const page = rows.slice(0, pageSize);
      return { entries: page.map(journalEntryOf), nextPageToken: rows.length > pageSize ? String(page[page.length - 1].position) : '' };
    }),

    GetAlarmKpis: unary<v1.GetAlarmKpisRequest, v1.GetAlarmKpisResponse>(READERS, async (request) => {
      const violations: FieldViolation[] = [];
      const { from, to } = rangeOf(request.range, violations);
      const plant = plantOf(request.plantId, violations);
      const history = await deps.readModel.activations(plant.plantId, from, to);
      const groups = computeAlarmKpis(history, { startMs: from.getTime(), endMs: to.getTime() }, request.grouping === 'KPI_GROUPING_AREA' ? 'area' : 'console');
      return { groups: groups.map(kpisOf), targets: KPI_TARGETS_PROTO };
    }),

    AcknowledgeAlarm: action<v1.AcknowledgeAlarmRequest>('Acknowledge', (r) => ({ reason: r.reason })),
    ShelveAlarm: action<v1.ShelveAlarmRequest>('Shelve', (r, violations) => {
      const expiresAt = r.expiryTime ? timestampToDate(r.expiryTime) : undefined;
      if (!expiresAt) violations.push({ field: 'expiry_time', description: 'is required' });
      if (r.reason.trim() === '') violations.push({ field: 'reason', description: 'a shelf needs a reason' });
      return { reason: r.reason, expiresAt };
    }),
    UnshelveAlarm: action<v1.UnshelveAlarmRequest>('Unshelve', (r) => ({ reason: r.reason })),
    CommentAlarm: action<v1.CommentAlarmRequest>('Comment', (r, violations) => {
      if (r.text.trim() === '') violations.push({ field: 'text', description: 'must not be empty' });
      return { text: r.text };
    }),
    RemoveAlarmFromService: action<v1.RemoveAlarmFromServiceRequest>('RemoveFromService', (r, violations) => {
      if (r.reason.trim() === '') violations.push({ field: 'reason', description: 'taking an alarm out of service needs a reason' });
      return { reason: r.reason };
    }),
    ReturnAlarmToService: action<v1.ReturnAlarmToServiceRequest>('ReturnToService', (r) => ({ reason: r.reason })),

    WatchAlarms: serverStream<v1.WatchAlarmsRequest, v1.WatchAlarmsResponse>(READERS, async function* (request, ctx) {
      const plant = plantOf(request.plantId);
      const queue: AlarmChange[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.hub.subscribe((change) => {
        if (change.plantId !== plant.plantId) return;
        queue.push(change);
        wake?.();
      });
      const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      try {
        if (request.includeCurrent) for (const a of plant.activeAlarms()) yield { alarm: alarmOf(plant.plantId, a), eventType: '', actor: '', reason: '' };
        while (!ctx.signal.aborted) {
          if (queue.length === 0) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
          wake = undefined;
          while (queue.length > 0) {
            const c = queue.shift()!;
            yield { alarm: alarmOf(plant.plantId, { alarmId: c.alarmId, state: c.state, status: alarmStatus(c.state) }), eventType: c.event.type, actor: c.event.data.by, reason: c.event.data.reason };
          }
        }
      } finally {
        unsubscribe();
      }
    }),

    ListUnitStates: unary<v1.ListUnitStatesRequest, v1.ListUnitStatesResponse>(READERS, (request) => {
      const plant = plantOf(request.plantId);
      return { units: plant.unitStates().map((u) => ({ unitId: u.unitId, area: u.area, state: unitStateToProto(u.state), changeTime: u.changedAt ? isoToTimestamp(u.changedAt) : null })) };
    }),

    GetAlarmConfiguration: unary<v1.GetAlarmConfigurationRequest, v1.GetAlarmConfigurationResponse>(READERS, (request) => {
      const plant = plantOf(request.plantId);
      return { version: plant.config.version, documentJson: JSON.stringify(plant.config.document) };
    }),

    PutAlarmConfiguration: unary<v1.PutAlarmConfigurationRequest, v1.PutAlarmConfigurationResponse>(OPERATORS, async (request, ctx) => {
      const violations: FieldViolation[] = [];
      let document: unknown;
      try {
        document = JSON.parse(request.documentJson);
      } catch (error) {
        violations.push({ field: 'document_json', description: `is not JSON: ${(error as Error).message}` });
      }
      if (request.expectedVersion < 1) violations.push({ field: 'expected_version', description: 'must be the version the change started from (≥ 1)' });
      const plant = plantOf(request.plantId, violations);
      return { version: await plant.putConfiguration(document, request.expectedVersion, ctx.principal.subject) };
    }),

    ...monitoringHandlers(deps.models, plantOf),
    ...replayHandler(deps.history, plantOf),
  };
}
