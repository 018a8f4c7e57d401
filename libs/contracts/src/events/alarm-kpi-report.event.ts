import { z } from 'zod';
import { count, finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { alarmId } from './safety.schemas';

const share = finite.min(0).max(1);

/** ISA-18.2 / EEMUA 191 alarm KPIs of one console or area over the report's window (rates per operator position). */
export const alarmKpiGroupSchema = z.object({
  key: identifier,
  activations: count,
  alarmsPer10Min: finite.min(0),
  alarmsPerHour: finite.min(0),
  alarmsPerDay: finite.min(0),
  peakAlarmsPer10Min: count,
  /** 10-minute intervals with more than 10 activations, their total duration (s) and share of the window. */
  floodIntervals: count,
  floodTimeS: finite.min(0),
  floodTimeShare: share,
  /** Alarms with 3 or more activations within 60 s. */
  chatteringAlarms: z.array(alarmId),
  /** Alarms active for more than 24 h at the window's end. */
  staleAlarms: z.array(alarmId),
  topBadActors: z.array(z.object({ alarmId, activations: count, share })).max(10),
  topTenShare: share,
  priorityShare: z.object({ low: share, medium: share, high: share }),
});

export const alarmKpiReportSchema = z.object({
  plantId: identifier,
  /** `hour` or `day` (plant-local day: 23 or 25 hours on daylight-saving changes). */
  period: z.enum(['hour', 'day']),
  timeZone: z.string().min(1).max(64),
  windowStart: instant,
  windowEnd: instant,
  consoles: z.array(alarmKpiGroupSchema),
  areas: z.array(alarmKpiGroupSchema),
});

export type AlarmKpiReport = z.infer<typeof alarmKpiReportSchema>;

export const AlarmKpiReportContract = defineEvent({
  type: 'AlarmKpiReport',
  topic: TOPICS.safety,
  description: 'Periodic alarm-management KPIs of a plant per console and area (ISA-18.2 / EEMUA 191), once per completed hour or plant-local day.',
  schema: alarmKpiReportSchema,
});
