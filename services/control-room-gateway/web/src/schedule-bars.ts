/** The schedule snapshot as Gantt bars: consecutive periods of a unit in the same mode become one bar. */
export interface SchedulePeriod { period: number; start?: string; modeId: string; throughputT: number; changingOver: boolean; available: boolean }
export interface ScheduleDoc {
  scheduleId: string;
  state: string;
  reason?: string;
  horizonStart?: string;
  periods: number;
  periodHours: number;
  frozenPeriods: number;
  solverStatus?: string;
  objective?: number;
  currency?: string;
  unavailableUnitIds?: string[];
  units: { unitId: string; periods: SchedulePeriod[] }[];
  proposedAt?: string;
  publishedAt?: string;
  publishedBy?: string;
}
export interface ScheduleSnapshot { plantId: string; published: ScheduleDoc | null; proposed: ScheduleDoc | null }

export type BarKind = 'mode' | 'changeover' | 'idle' | 'unavailable';
export interface Bar { unitId: string; lane: 'published' | 'proposed'; kind: BarKind; modeId: string; startMs: number; endMs: number; throughputT: number; changed: boolean }

const kindOf = (p: SchedulePeriod): BarKind => (!p.available ? 'unavailable' : p.changingOver ? 'changeover' : p.modeId ? 'mode' : 'idle');

/** Start of a period: its own time when given, else the horizon start plus whole periods. */
const startOf = (s: ScheduleDoc, p: SchedulePeriod): number => (p.start ? Date.parse(p.start) : Date.parse(s.horizonStart ?? '') + p.period * s.periodHours * 3600_000);

/**
 * Bars of one schedule. `changed` marks a proposed bar whose mode differs from the published
 * schedule's in any of its periods (what a planner has to look at before publishing).
 */
export function scheduleBars(s: ScheduleDoc, lane: Bar['lane'], against?: ScheduleDoc | null): Bar[] {
  const periodMs = s.periodHours * 3600_000;
  const bars: Bar[] = [];
  for (const u of s.units) {
    const other = new Map((against?.units.find((x) => x.unitId === u.unitId)?.periods ?? []).map((p) => [startOf(against!, p), `${kindOf(p)}:${p.modeId}`]));
    let open: Bar | undefined;
    for (const p of [...u.periods].sort((a, b) => a.period - b.period)) {
      const start = startOf(s, p);
      const kind = kindOf(p);
      const differs = against !== undefined && against !== null && other.get(start) !== `${kind}:${p.modeId}`;
      if (open && open.kind === kind && open.modeId === p.modeId && open.endMs === start) {
        open.endMs = start + periodMs;
        open.throughputT += p.throughputT;
        open.changed ||= differs;
      } else {
        open = { unitId: u.unitId, lane, kind, modeId: p.modeId, startMs: start, endMs: start + periodMs, throughputT: p.throughputT, changed: differs };
        bars.push(open);
      }
    }
  }
  return bars;
}

/** The time span the chart shows: both schedules' horizons. */
export function horizonOf(docs: (ScheduleDoc | null)[]): { startMs: number; endMs: number } | undefined {
  const spans = docs.filter((d): d is ScheduleDoc => !!d && Number.isFinite(Date.parse(d.horizonStart ?? ''))).map((d) => ({ s: Date.parse(d.horizonStart!), e: Date.parse(d.horizonStart!) + d.periods * d.periodHours * 3600_000 }));
  if (spans.length === 0) return undefined;
  return { startMs: Math.min(...spans.map((x) => x.s)), endMs: Math.max(...spans.map((x) => x.e)) };
}
