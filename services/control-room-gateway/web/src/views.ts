/// <reference lib="dom" />
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { canOperate, fmt, type Principal } from './api';
import { h, table } from './dom';
import { displayUnit, localTime, zoneCaption, zoned } from './format';
import { networkDiagram, percent, topologyOf } from './network';

export interface TagValue { tagId: string; time?: string; value: number | null; unit?: string; quality: number }
export interface UnitClosure { unitId: string; imbalanceAfterKgPerS?: number; inflowKgPerS?: number; closureErrorAfterRatio?: number; closureErrorBeforeRatio?: number; suspect?: boolean }
export interface StreamFlow { streamId: string; fromUnitId?: string; toUnitId?: string; medium?: string; reconciledMassFlowKgPerS?: number | null; grossError?: boolean; accumulation?: boolean }
export interface Balance {
  plantId: string;
  window: { start?: string; end?: string };
  globalTest?: { statistic?: number; criticalValue?: number; rejected?: boolean };
  streams?: StreamFlow[];
  units?: UnitClosure[];
  grossErrors?: { unitId?: string; streamId?: string; tagId?: string }[];
  losses?: { unitId?: string; estimatedLossKgPerS?: number }[];
}
export interface PlantInfo {
  plantId: string;
  name: string;
  timeZone: string;
  units: { unitId: string; name: string; type: string; areaId: string }[];
  streams: { streamId: string; name: string; kind: 'material' | 'energy'; medium: string; from: string | null; to: string | null }[];
}
export type Limits = Map<string, { unit?: string; limits: Partial<Record<'HH' | 'H' | 'L' | 'LL', number>> }>;
export interface Alarm { plantId: string; alarmId: string; tagId: string; kind: string; priority: string; status?: string; acknowledged: boolean; raisedAt?: string; value?: number; limit?: number; shelfExpiresAt?: string }
export interface Unavailable { unavailable: string }

const GOOD = (q: number) => (q >>> 30) === 0;
const PRIORITY = (p: string) => p.toLowerCase().replace(/^alarm_priority_/, '');

export function overview(tags: Map<string, TagValue>, balances: Balance[] | Unavailable, plants: PlantInfo[], tz: string, tagsError?: string): HTMLElement {
  const tagRows = [...tags.values()]
    .sort((a, b) => a.tagId.localeCompare(b.tagId))
    .map((t) => h('tr', { 'data-tag': t.tagId, class: GOOD(t.quality) ? undefined : 'bad-quality' }, h('td', {}, t.tagId), h('td', { class: 'num' }, fmt(t.value, t.unit ? displayUnit(t.unit) : '(unit unknown)')), h('td', {}, GOOD(t.quality) ? 'good' : `quality 0x${t.quality.toString(16)}`), h('td', { class: 'muted' }, localTime(t.time, tz))));
  // the networks first (what an operator scans), the long list of latest values below them
  const sections: HTMLElement[] = [h('p', { class: 'muted', 'data-zone': tz }, `Times on the plant clock: ${zoneCaption(tz)}.`)];
  sections.push(h('h2', {}, 'Reconciled balances'));
  if ('unavailable' in balances) sections.push(h('p', { class: 'muted' }, balances.unavailable));
  else if (balances.length === 0) sections.push(h('p', { class: 'muted' }, 'No reconciled window yet.'));
  const shown: Balance[] = 'unavailable' in balances ? [] : [...balances];
  // A plant of the model without a reconciled window yet: its networks without flows.
  for (const p of plants) if (!shown.some((b) => b.plantId === p.plantId)) shown.push({ plantId: p.plantId, window: {} });
  for (const b of shown) {
    const plant = plants.find((p) => p.plantId === b.plantId);
    const suspects = new Set([...(b.grossErrors ?? []), ...(b.losses ?? [])].map((x) => x.unitId).filter((u): u is string => !!u));
    for (const u of b.units ?? []) if (u.suspect) suspects.add(u.unitId);
    const g = b.globalTest;
    const topology = topologyOf(plant, b);
    sections.push(
      b.window.start === undefined
        ? h('p', { 'data-balance': b.plantId }, `${b.plantId}: no reconciled window yet (networks from the plant model, without flows).`)
        : h('p', { 'data-balance': b.plantId }, `${b.plantId}: window ${localTime(b.window.start, tz, { seconds: false })} – ${localTime(b.window.end, tz, { seconds: false })}; global test `, h('span', { class: g?.rejected ? 'rejected' : undefined }, g ? `${fmt(g.statistic, '')} / critical ${fmt(g.criticalValue, '')}${g.rejected ? ' REJECTED' : ' passed'}` : '—')),
      h('h2', {}, 'Material network'),
      networkDiagram('material', topology.streams, b, plant),
      h('h2', {}, 'Energy network'),
      networkDiagram('energy', topology.streams, b, plant),
      h('p', { class: 'muted' }, `Lines: reconciled mass flow; boxes: units with their closure after reconciliation; marked: suspected losses and gross errors. Topology from the ${topology.source}.`),
      table(
        ['Unit', 'Inflow', 'Imbalance after', 'Closure before', 'Closure after', 'Suspect'],
        (b.units ?? []).map((u) =>
          h('tr', { class: suspects.has(u.unitId) ? 'suspect' : undefined }, h('td', {}, u.unitId), h('td', { class: 'num' }, fmt(u.inflowKgPerS, 'kg/s')), h('td', { class: 'num' }, fmt(u.imbalanceAfterKgPerS, 'kg/s')), h('td', { class: 'num' }, u.closureErrorBeforeRatio === undefined ? '—' : percent(u.closureErrorBeforeRatio)), h('td', { class: 'num' }, u.closureErrorAfterRatio === undefined ? '—' : percent(u.closureErrorAfterRatio)), h('td', {}, suspects.has(u.unitId) ? 'SUSPECT' : '')),
        ),
      ),
    );
  }
  sections.push(h('h2', {}, 'Latest values'), tagsError ? h('p', { class: 'muted' }, tagsError) : tagRows.length ? table(['Tag', 'Value', 'Quality', 'Sample time'], tagRows) : h('p', { class: 'muted' }, 'No tags seen yet.'));
  return h('section', { id: 'overview' }, ...sections);
}

/** Writes each limit's name at the right end of its line. */
function labelLimits(u: uPlot, lims: [string, number][]): void {
  const ctx = u.ctx;
  ctx.save();
  ctx.fillStyle = '#3c3c3c';
  ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  for (const [k, v] of lims) {
    const y = u.valToPos(v, 'y', true);
    ctx.fillText(k, u.bbox.left + u.bbox.width - 4, y - 3 * devicePixelRatio);
  }
  ctx.restore();
}

/** Time-axis steps in whole seconds, so that each tick label (hh:mm:ss) is distinct. */
const TIME_INCRS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

const LIMIT_DASH: Record<string, number[]> = { HH: [8, 3], H: [3, 3], L: [3, 3], LL: [8, 3] };

/** One uPlot per tag (each has its own unit), full width, x on the plant clock; alarm limits (HH/H/L/LL) as dashed lines. */
export function trends(series: Map<string, { unit: string; t: number[]; v: number[] }>, limits: Limits, tz: string, width: number): HTMLElement {
  const root = h('section', { id: 'trends' });
  if (series.size === 0) root.append(h('p', { class: 'muted' }, 'No samples yet: trends fill as values arrive.'));
  else root.append(h('p', { class: 'muted' }, `Time axis on the plant clock: ${zoneCaption(tz)}.`));
  for (const [tagId, s] of series) {
    const box = h('div', { class: 'chart', 'data-trend': tagId });
    root.append(box);
    const unit = displayUnit(s.unit);
    const lims = Object.entries(limits.get(tagId)?.limits ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
    box.dataset['limits'] = lims.map(([k, v]) => `${k}=${v}`).join(',');
    const data: uPlot.AlignedData = [s.t, s.v, ...lims.map(([, l]) => s.t.map(() => l))];
    new uPlot(
      {
        title: `${tagId} [${unit}]`,
        width: Math.max(300, width - 2),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
        scales: { x: { time: true } },
        legend: { live: false },
        hooks: { draw: [(u) => labelLimits(u, lims)] },
        series: [{}, { label: `${tagId} (${unit})`, stroke: '#1f1f1f', width: 1.5 }, ...lims.map(([k, l]) => ({ label: `${k} ${fmt(l, unit)}`, stroke: k === 'HH' || k === 'LL' ? '#5a5a5a' : '#7a7a7a', dash: LIMIT_DASH[k], width: 1, points: { show: false } }))],
        axes: [{ incrs: TIME_INCRS_S, values: (_u, splits) => splits.map((x) => zoned(x * 1000, tz).time) }, { label: unit }],
      },
      data,
      box,
    );
  }
  return root;
}

export function alarms(list: Alarm[] | Unavailable, warnings: { at: string; text: string }[], who: Principal | undefined, act: (a: Alarm, action: 'ack' | 'shelve') => void, tz: string, unitOf: (tagId: string) => string | undefined, message?: string): HTMLElement {
  const root = h('section', { id: 'alarms' }, h('h2', {}, 'Active alarms'), h('p', { class: 'muted' }, `Times on the plant clock: ${zoneCaption(tz)}.`));
  if (message) root.append(h('p', { class: 'error', role: 'alert' }, message));
  if ('unavailable' in list) root.append(h('p', { class: 'muted' }, list.unavailable));
  else if (list.length === 0) root.append(h('p', { class: 'muted' }, 'No active alarms.'));
  else {
    const allowed = canOperate(who);
    const rows = list.map((a) => {
      const ack = h('button', { type: 'button', disabled: !allowed || a.acknowledged, title: allowed ? undefined : 'operator role required' }, 'Acknowledge');
      const shelve = h('button', { type: 'button', disabled: !allowed, title: allowed ? undefined : 'operator role required' }, 'Shelve 1 h');
      ack.addEventListener('click', () => act(a, 'ack'));
      shelve.addEventListener('click', () => act(a, 'shelve'));
      return h('tr', { class: `prio-${PRIORITY(a.priority)}${a.acknowledged ? '' : ' unacked'}`, 'data-alarm': a.alarmId }, h('td', {}, PRIORITY(a.priority)), h('td', {}, a.alarmId), h('td', {}, a.kind), h('td', { class: 'num' }, fmt(a.value, displayUnit(unitOf(a.tagId)) || '(tag unit)')), h('td', { class: 'num' }, fmt(a.limit, displayUnit(unitOf(a.tagId)) || '(tag unit)')), h('td', {}, a.acknowledged ? 'acknowledged' : 'unacknowledged'), h('td', { class: 'muted' }, localTime(a.raisedAt, tz)), h('td', {}, ack, ' ', shelve));
    });
    root.append(table(['Priority', 'Alarm', 'Kind', 'Value', 'Limit', 'State', 'Raised', 'Actions'], rows));
  }
  root.append(h('h2', {}, 'Early warnings'));
  root.append(warnings.length ? table(['Time', 'Warning'], warnings.map((w) => h('tr', {}, h('td', {}, localTime(w.at, tz)), h('td', {}, w.text)))) : h('p', { class: 'muted' }, 'None.'));
  return root;
}
