/// <reference lib="dom" />
import { fmt } from './api';
import { h, table } from './dom';
import { displayUnit, localTime, zoneCaption } from './format';
import type { Unavailable } from './views';

export interface AllocationDoc {
  allocationId: string;
  trigger: string;
  published: boolean;
  proposedAt?: string;
  horizonStart?: string;
  periodHours: number;
  frozenPeriods: number;
  objective: number;
  currency: string;
  gapPercent: number;
  co2T: number;
  production: { siteId: string; processId: string; materialId: string; period: number; quantityT: number; modulesOn: number }[];
  shipments: { laneId: string; materialId: string; departurePeriod: number; arrivalPeriod: number; quantityT: number }[];
  orders: { orderId: string; promisedPeriod: number; latePeriods: number; shortfallT: number; deliveredT: number }[];
}
export interface AllocationSnapshot { allocation: AllocationDoc | null; message?: string }

const num = (text: string, attrs: Record<string, string | undefined> = {}) => h('td', { class: 'num', ...attrs }, text);

/**
 * The supply-chain allocation as tables: production per site, process and material by period (t),
 * shipments per lane, and the order promises with late or short orders marked (the only colour).
 */
export function allocationView(body: AllocationSnapshot | Unavailable, tz: string): HTMLElement {
  const root = h('section', { id: 'allocation' }, h('h2', {}, 'Allocation'));
  if ('unavailable' in body) return root.appendChild(h('p', { class: 'muted' }, body.unavailable)).parentElement!;
  const a = body.allocation;
  if (!a) return root.appendChild(h('p', { class: 'muted' }, body.message ?? 'No allocation yet.')).parentElement!;
  const t = displayUnit('t');
  const periodStart = (p: number) => (a.horizonStart ? new Date(Date.parse(a.horizonStart) + p * a.periodHours * 3600_000).toISOString() : undefined);
  const periodName = (p: number) => `P${p} ${localTime(periodStart(p), tz, { seconds: false }).replace(/ UTC.*$/, '')}${p < a.frozenPeriods ? ' (frozen)' : ''}`;
  // Column heads on three lines (period, date, time) so that a fortnight of periods fits the screen.
  const periodHead = (p: number) => periodName(p).replace(' ', '\n').replace(/ (\d\d:\d\d)/, '\n$1');
  root.append(
    h('p', { 'data-allocation': a.allocationId }, `${a.published ? 'Published' : 'Proposed'} allocation ${a.allocationId} (${a.trigger}), proposed ${localTime(a.proposedAt, tz, { seconds: false })}; cost ${fmt(a.objective, a.currency)}, CO₂ ${fmt(a.co2T, t)}, gap ${fmt(a.gapPercent, '%')}; periods of ${fmt(a.periodHours, 'h')}, times ${zoneCaption(tz)}.`),
  );

  const periods = [...new Set([...a.production.map((p) => p.period), ...a.shipments.flatMap((s) => [s.departurePeriod, s.arrivalPeriod])])].sort((x, y) => x - y);
  const rows = new Map<string, { siteId: string; processId: string; materialId: string; q: Map<number, number> }>();
  for (const p of a.production) {
    const key = `${p.siteId}|${p.processId}|${p.materialId}`;
    const row = rows.get(key) ?? { siteId: p.siteId, processId: p.processId, materialId: p.materialId, q: new Map<number, number>() };
    row.q.set(p.period, (row.q.get(p.period) ?? 0) + p.quantityT);
    rows.set(key, row);
  }
  root.append(h('h2', {}, `Production by site and period (${t})`));
  root.append(
    rows.size === 0
      ? h('p', { class: 'muted' }, 'No production planned.')
      : table(
          ['Site', 'Process', 'Product', ...periods.map(periodHead), 'Total'],
          [...rows.values()]
            .sort((x, y) => `${x.siteId}${x.materialId}`.localeCompare(`${y.siteId}${y.materialId}`))
            .map((r) => h('tr', { 'data-production': `${r.siteId}/${r.materialId}` }, h('td', {}, r.siteId), h('td', {}, r.processId), h('td', {}, r.materialId), ...periods.map((p) => num(r.q.has(p) ? fmt(r.q.get(p), t) : '—', { class: p < a.frozenPeriods ? 'num frozen-cell' : 'num' })), num(fmt([...r.q.values()].reduce((x, y) => x + y, 0), t)))),
        ),
  );
  root.append(h('h2', {}, `Shipments per lane (${t})`));
  root.append(
    a.shipments.length === 0
      ? h('p', { class: 'muted' }, 'No shipments.')
      : table(['Lane', 'Product', 'Departs', 'Arrives', 'Quantity'], a.shipments.map((s) => h('tr', { 'data-lane': s.laneId }, h('td', {}, s.laneId), h('td', {}, s.materialId), h('td', {}, periodName(s.departurePeriod)), h('td', {}, periodName(s.arrivalPeriod)), num(fmt(s.quantityT, t))))),
  );
  root.append(h('h2', {}, 'Orders'));
  root.append(
    a.orders.length === 0
      ? h('p', { class: 'muted' }, 'No orders.')
      : table(
          ['Order', 'Promised period', 'Late by', 'Delivered', 'Shortfall', 'State'],
          a.orders.map((o) => {
            const late = o.latePeriods > 0 || o.shortfallT > 0;
            return h('tr', { 'data-order': o.orderId, class: late ? 'late' : undefined }, h('td', {}, o.orderId), h('td', {}, o.promisedPeriod < 0 ? 'not promised' : periodName(o.promisedPeriod)), num(o.latePeriods > 0 ? `${o.latePeriods} × ${fmt(a.periodHours, 'h')}` : '—'), num(fmt(o.deliveredT, t)), num(fmt(o.shortfallT, t)), h('td', {}, o.shortfallT > 0 ? 'SHORT' : o.latePeriods > 0 ? 'LATE' : 'on time'));
          }),
        ),
  );
  return root;
}
