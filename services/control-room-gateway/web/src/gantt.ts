/// <reference lib="dom" />
import { fmt } from './api';
import { h, s } from './dom';
import { localTime, zoneCaption, zoned } from './format';
import { horizonOf, scheduleBars, type Bar, type ScheduleDoc, type ScheduleSnapshot } from './schedule-bars';
import type { Unavailable } from './views';

const LABEL_W = 150;
const CHART_W = 1000;
const LANE_H = 22;
const AXIS_H = 34;
const FOOT_H = 16;
const RIGHT_PAD = 40;

const barClass = (b: Bar) => `gantt-bar ${b.lane} ${b.kind}${b.changed ? ' changed' : ''}`;
const barText = (b: Bar) => (b.kind === 'mode' ? b.modeId : b.kind === 'changeover' ? 'changeover' : b.kind === 'unavailable' ? 'unavailable' : 'idle');

function summary(d: ScheduleDoc, tz: string): string {
  const when = d.state === 'published' ? `published ${localTime(d.publishedAt, tz, { seconds: false })}${d.publishedBy ? ` by ${d.publishedBy}` : ''}` : `proposed ${localTime(d.proposedAt, tz, { seconds: false })}`;
  return `${d.state} ${d.scheduleId}: ${when}; reason ${d.reason || '—'}; ${d.periods} periods of ${fmt(d.periodHours, 'h')}; frozen ${d.frozenPeriods} (${fmt(d.frozenPeriods * d.periodHours, 'h')}); cost ${fmt(d.objective, d.currency ?? '')}; solver ${d.solverStatus ?? '—'}`;
}

/**
 * The schedule as a Gantt chart: per unit one lane for the published schedule (filled bars) and one
 * for the proposal (outlined, dashed; a bar that differs from the published one is drawn bold),
 * times on the plant's clock, the frozen window shaded and labelled, "now" as a line.
 */
export function gantt(body: ScheduleSnapshot | Unavailable, tz: string, nowMs = Date.now()): HTMLElement {
  const root = h('section', { id: 'schedule' }, h('h2', {}, 'Schedule'));
  if ('unavailable' in body) return root.appendChild(h('p', { class: 'muted' }, body.unavailable)).parentElement!;
  const { published, proposed } = body;
  const span = horizonOf([published, proposed]);
  if (!span) return root.appendChild(h('p', { class: 'muted' }, `No schedule for ${body.plantId} yet.`)).parentElement!;
  for (const d of [published, proposed]) if (d) root.append(h('p', { class: 'muted', 'data-summary': d.state }, summary(d, tz)));
  const bars = [...(published ? scheduleBars(published, 'published') : []), ...(proposed ? scheduleBars(proposed, 'proposed', published) : [])];
  const units = [...new Set([...(published?.units ?? []), ...(proposed?.units ?? [])].map((u) => u.unitId))].sort();
  const lanes = units.flatMap((unitId) => [...(published ? [{ unitId, lane: 'published' as const }] : []), ...(proposed ? [{ unitId, lane: 'proposed' as const }] : [])]);
  const x = (ms: number) => LABEL_W + ((ms - span.startMs) / (span.endMs - span.startMs)) * CHART_W;
  const lanesEnd = AXIS_H + lanes.length * LANE_H + 4;
  const height = lanesEnd + FOOT_H;
  const svg = s('svg', { class: 'gantt', viewBox: `0 0 ${LABEL_W + CHART_W + RIGHT_PAD} ${height}`, width: '100%', role: 'img', 'aria-label': `Gantt chart of ${body.plantId}` });

  const frozenDoc = proposed ?? published!;
  const frozenEnd = Date.parse(frozenDoc.horizonStart!) + frozenDoc.frozenPeriods * frozenDoc.periodHours * 3600_000;
  const frozen = frozenDoc.frozenPeriods > 0 ? { x: x(span.startMs), width: x(frozenEnd) - x(span.startMs) } : undefined;
  // Hour ticks on the plant clock; at most ~12 labels.
  const periodMs = Math.min(...[published, proposed].filter((d): d is ScheduleDoc => !!d).map((d) => d.periodHours * 3600_000));
  const every = Math.max(1, Math.ceil((span.endMs - span.startMs) / periodMs / 12));
  for (let t = span.startMs, i = 0; t <= span.endMs; t += periodMs, i++) {
    svg.append(s('line', { class: 'tick', x1: x(t), x2: x(t), y1: AXIS_H - 2, y2: lanesEnd }));
    if (i % every === 0) {
      const z = zoned(t, tz, false);
      svg.append(s('text', { class: 'tick-label', x: x(t) + 2, y: 12 }, z.time), s('text', { class: 'tick-date', x: x(t) + 2, y: 24 }, i === 0 || z.time === '00:00' ? z.date : ''));
    }
  }
  lanes.forEach((l, i) => {
    const y = AXIS_H + i * LANE_H;
    svg.append(s('text', { class: 'lane-label', x: 4, y: y + 15 }, `${l.unitId} ${l.lane === 'proposed' ? '(proposed)' : ''}`));
    for (const b of bars.filter((b) => b.unitId === l.unitId && b.lane === l.lane)) {
      const w = Math.max(1, x(b.endMs) - x(b.startMs));
      const title = `${b.unitId} ${b.lane}: ${barText(b)} ${localTime(new Date(b.startMs).toISOString(), tz, { seconds: false })} – ${zoned(b.endMs, tz, false).time}, ${fmt(b.throughputT, 't')}${b.changed ? ' (differs from published)' : ''}`;
      svg.append(
        s('g', { 'data-unit': b.unitId, 'data-lane': b.lane, 'data-mode': b.modeId, 'data-kind': b.kind },
          s('rect', { class: barClass(b), x: x(b.startMs) + 1, y: y + 3, width: w - 2, height: LANE_H - 6 }, s('title', {}, title)),
          w > 40 ? s('text', { class: `bar-label ${b.lane} ${b.kind}`, x: x(b.startMs) + 4, y: y + 15 }, barText(b)) : undefined,
        ),
      );
    }
  });
  // The frozen window over the bars (hatched, translucent) with its end written below the lanes.
  if (frozen) {
    svg.append(
      s('defs', {}, s('pattern', { id: 'frozen-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch' }))),
      s('rect', { class: 'frozen', x: frozen.x, y: AXIS_H - 2, width: frozen.width, height: lanesEnd - AXIS_H + 2, fill: 'url(#frozen-hatch)', 'data-frozen-until': new Date(frozenEnd).toISOString() }),
      s('line', { class: 'frozen-edge', x1: frozen.x + frozen.width, x2: frozen.x + frozen.width, y1: AXIS_H - 2, y2: lanesEnd + 4 }),
      s('text', { class: 'frozen-label', x: frozen.x + frozen.width - 3, y: lanesEnd + 13, 'text-anchor': 'end' }, `frozen until ${zoned(frozenEnd, tz, false).time}`),
    );
  }
  if (nowMs >= span.startMs && nowMs <= span.endMs) svg.append(s('line', { class: 'now', x1: x(nowMs), x2: x(nowMs), y1: AXIS_H - 4, y2: lanesEnd }));
  root.append(h('p', { class: 'muted' }, `Times: ${zoneCaption(tz, span.startMs)}. Filled: published; outlined: proposed; bold outline: proposed differs from published; shaded: frozen window.`), h('div', { class: 'gantt-box' }, svg));
  return root;
}
