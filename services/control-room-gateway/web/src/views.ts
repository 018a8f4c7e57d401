/// <reference lib="dom" />
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { canOperate, fmt, type Principal } from './api';
import { h, table } from './dom';

export interface TagValue { tagId: string; time?: string; value: number | null; unit?: string; quality: number }
export interface UnitClosure { unitId: string; imbalanceAfterKgPerS?: number; inflowKgPerS?: number; closureErrorAfterRatio?: number; closureErrorBeforeRatio?: number }
export interface Balance {
  plantId: string;
  window: { start?: string; end?: string };
  globalTest?: { statistic?: number; criticalValue?: number; rejected?: boolean };
  units?: UnitClosure[];
  grossErrors?: { unitId?: string; streamId?: string }[];
  losses?: { unitId?: string }[];
}
export interface Alarm { plantId: string; alarmId: string; tagId: string; kind: string; priority: string; status?: string; acknowledged: boolean; raisedAt?: string; value?: number; limit?: number; shelfExpiresAt?: string }
export interface Unavailable { unavailable: string }

const GOOD = (q: number) => (q >>> 30) === 0;
const PRIORITY = (p: string) => p.toLowerCase().replace(/^alarm_priority_/, '');

export function overview(tags: Map<string, TagValue>, balances: Balance[] | Unavailable, tagsError?: string): HTMLElement {
  const tagRows = [...tags.values()]
    .sort((a, b) => a.tagId.localeCompare(b.tagId))
    .map((t) => h('tr', { 'data-tag': t.tagId, class: GOOD(t.quality) ? undefined : 'bad-quality' }, h('td', {}, t.tagId), h('td', { class: 'num' }, fmt(t.value, t.unit ?? '(unit unknown)')), h('td', {}, GOOD(t.quality) ? 'good' : `quality 0x${t.quality.toString(16)}`), h('td', { class: 'muted' }, t.time ?? '')));
  const sections: HTMLElement[] = [h('h2', {}, 'Latest values'), tagsError ? h('p', { class: 'muted' }, tagsError) : tagRows.length ? table(['Tag', 'Value', 'Quality', 'Sample time'], tagRows) : h('p', { class: 'muted' }, 'No tags seen yet.')];
  sections.push(h('h2', {}, 'Reconciled balances'));
  if ('unavailable' in balances) sections.push(h('p', { class: 'muted' }, balances.unavailable));
  else if (balances.length === 0) sections.push(h('p', { class: 'muted' }, 'No reconciled window yet.'));
  for (const b of 'unavailable' in balances ? [] : balances) {
    const suspects = new Set([...(b.grossErrors ?? []), ...(b.losses ?? [])].map((s) => s.unitId).filter((u): u is string => !!u));
    const g = b.globalTest;
    sections.push(
      h('p', { 'data-balance': b.plantId }, `${b.plantId}: window ${b.window.start ?? '?'} – ${b.window.end ?? '?'}; global test `, h('span', { class: g?.rejected ? 'rejected' : undefined }, g ? `${fmt(g.statistic, '')}/ critical ${fmt(g.criticalValue, '')}${g.rejected ? ' REJECTED' : ' passed'}` : '—')),
      table(
        ['Unit', 'Inflow', 'Imbalance after', 'Closure before', 'Closure after', 'Suspect'],
        (b.units ?? []).map((u) =>
          h('tr', { class: suspects.has(u.unitId) ? 'suspect' : undefined }, h('td', {}, u.unitId), h('td', { class: 'num' }, fmt(u.inflowKgPerS, 'kg/s')), h('td', { class: 'num' }, fmt(u.imbalanceAfterKgPerS, 'kg/s')), h('td', { class: 'num' }, fmt(u.closureErrorBeforeRatio === undefined ? undefined : u.closureErrorBeforeRatio * 100, '%')), h('td', { class: 'num' }, fmt(u.closureErrorAfterRatio === undefined ? undefined : u.closureErrorAfterRatio * 100, '%')), h('td', {}, suspects.has(u.unitId) ? 'SUSPECT' : '')),
        ),
      ),
    );
  }
  return h('section', { id: 'overview' }, ...sections);
}

/** One uPlot per tag (each has its own unit), x in seconds; limits drawn as flat series when an alarm names them. */
export function trends(series: Map<string, { unit: string; t: number[]; v: number[] }>, limits: Map<string, number[]>): HTMLElement {
  const root = h('section', { id: 'trends' });
  if (series.size === 0) root.append(h('p', { class: 'muted' }, 'No samples yet: trends fill as values arrive.'));
  for (const [tagId, s] of series) {
    const box = h('div', { class: 'chart', 'data-trend': tagId });
    root.append(box);
    const lims = limits.get(tagId) ?? [];
    const data: uPlot.AlignedData = [s.t, s.v, ...lims.map((l) => s.t.map(() => l))];
    new uPlot(
      {
        title: `${tagId} [${s.unit}]`,
        width: 720,
        height: 200,
        scales: { x: { time: true } },
        series: [{}, { label: `${tagId} (${s.unit})`, stroke: '#1f1f1f', width: 1.5 }, ...lims.map((l) => ({ label: `limit ${l} ${s.unit}`, stroke: '#ff8c00', dash: [4, 4], width: 1 }))],
        axes: [{}, { label: s.unit }],
      },
      data,
      box,
    );
  }
  return root;
}

export function alarms(list: Alarm[] | Unavailable, warnings: { at: string; text: string }[], who: Principal | undefined, act: (a: Alarm, action: 'ack' | 'shelve') => void, message?: string): HTMLElement {
  const root = h('section', { id: 'alarms' }, h('h2', {}, 'Active alarms'));
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
      return h('tr', { class: `prio-${PRIORITY(a.priority)}${a.acknowledged ? '' : ' unacked'}`, 'data-alarm': a.alarmId }, h('td', {}, PRIORITY(a.priority)), h('td', {}, a.alarmId), h('td', {}, a.kind), h('td', { class: 'num' }, a.value === undefined ? '—' : String(a.value)), h('td', { class: 'num' }, a.limit === undefined ? '—' : String(a.limit)), h('td', {}, a.acknowledged ? 'acknowledged' : 'unacknowledged'), h('td', { class: 'muted' }, a.raisedAt ?? ''), h('td', {}, ack, ' ', shelve));
    });
    root.append(table(['Priority', 'Alarm', 'Kind', 'Value (tag unit)', 'Limit (tag unit)', 'State', 'Raised', 'Actions'], rows));
  }
  root.append(h('h2', {}, 'Early warnings'));
  root.append(warnings.length ? table(['Time', 'Warning'], warnings.map((w) => h('tr', {}, h('td', {}, w.at), h('td', {}, w.text)))) : h('p', { class: 'muted' }, 'None.'));
  return root;
}

interface ScheduleTask { id?: string; unitId?: string; resourceId?: string; label?: string; productId?: string; start?: string; end?: string; startTime?: string; endTime?: string }

/** Gantt-like table: one row per task, a bar placed on the schedule's horizon. */
export function schedule(body: Record<string, unknown> | Unavailable): HTMLElement {
  const root = h('section', { id: 'schedule' }, h('h2', {}, 'Schedule'));
  if ('unavailable' in body) return root.appendChild(h('p', { class: 'muted' }, String(body.unavailable))).parentElement!;
  const tasks = (Object.values(body).find(Array.isArray) as ScheduleTask[] | undefined) ?? [];
  const times = tasks.flatMap((t) => [Date.parse(t.start ?? t.startTime ?? ''), Date.parse(t.end ?? t.endTime ?? '')]).filter(Number.isFinite);
  const t0 = Math.min(...times);
  const span = Math.max(...times) - t0 || 1;
  root.append(
    tasks.length === 0
      ? h('p', { class: 'muted' }, 'No scheduled tasks.')
      : table(
          ['Unit', 'Task', 'Start', 'End', 'Horizon'],
          tasks.map((t) => {
            const s = Date.parse(t.start ?? t.startTime ?? '');
            const e = Date.parse(t.end ?? t.endTime ?? '');
            const bar = h('div', { class: 'bar' });
            bar.style.marginLeft = `${((s - t0) / span) * 300}px`;
            bar.style.width = `${Math.max(2, ((e - s) / span) * 300)}px`;
            const cell = h('td', {}, bar);
            cell.style.width = '320px';
            return h('tr', {}, h('td', {}, t.unitId ?? t.resourceId ?? ''), h('td', {}, t.label ?? t.productId ?? t.id ?? ''), h('td', {}, t.start ?? t.startTime ?? ''), h('td', {}, t.end ?? t.endTime ?? ''), cell);
          }),
        ),
  );
  return root;
}

export function allocation(body: Record<string, unknown> | Unavailable): HTMLElement {
  const root = h('section', { id: 'allocation' }, h('h2', {}, 'Allocation'));
  root.append('unavailable' in body ? h('p', { class: 'muted' }, String(body.unavailable)) : h('pre', {}, JSON.stringify(body, null, 2)));
  return root;
}
