/// <reference lib="dom" />
import './style.css';
import { api, type Principal } from './api';
import { LiveStream, type LinkState, type WireEvent } from './live';
import { allocationView, type AllocationSnapshot } from './allocation-view';
import { gantt } from './gantt';
import type { ScheduleSnapshot } from './schedule-bars';
import { alarms, overview, trends, type Alarm, type Balance, type Limits, type PlantInfo, type TagValue, type Unavailable } from './views';
import { why } from './why';

type Tab = 'Overview' | 'Trends' | 'Alarms' | 'Schedule' | 'Allocation';
const TABS: Tab[] = ['Overview', 'Trends', 'Alarms', 'Schedule', 'Allocation'];
const TREND_POINTS = 600;

const $ = (id: string) => document.getElementById(id)!;
const params = new URLSearchParams(location.search);
const state = {
  tab: (TABS.find((t) => t === params.get('tab')) ?? 'Overview') as Tab,
  who: undefined as Principal | undefined,
  tags: new Map<string, TagValue>(),
  tagsError: undefined as string | undefined,
  trend: new Map<string, { unit: string; t: number[]; v: number[] }>(),
  balances: { unavailable: 'Loading…' } as Balance[] | Unavailable,
  alarms: { unavailable: 'Loading…' } as Alarm[] | Unavailable,
  alarmMessage: undefined as string | undefined,
  warnings: [] as { at: string; text: string }[],
  schedule: { unavailable: 'Loading…' } as ScheduleSnapshot | Unavailable,
  allocation: { unavailable: 'Loading…' } as AllocationSnapshot | Unavailable,
  /** Plant models (time zone, topology) and alarm limits; the page's clock is the plant's zone, UTC until known. */
  plants: [] as PlantInfo[],
  limits: new Map() as Limits,
  timeZone: 'UTC',
  /** Positions of every event applied, in order (the browser test checks them for gaps and duplicates). */
  positions: [] as number[],
};
(window as unknown as { reflux: typeof state }).reflux = state;

const unavailable = (service: string, status: number, message: string): Unavailable => ({ unavailable: status === 503 ? `${service} service not available` : `${service}: ${message}` });

async function loadTags(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const r = await api<{ tags: TagValue[] }>(`/v1/snapshot/tags?ids=${encodeURIComponent(ids.join(','))}`);
  if (!r.ok) {
    state.tagsError = r.error.status === 503 ? 'Ingestion service not available' : r.error.message;
    return;
  }
  state.tagsError = undefined;
  for (const t of r.body.tags) {
    const before = state.tags.get(t.tagId);
    state.tags.set(t.tagId, t);
    if (t.value === null || !t.time || before?.time === t.time) continue;
    const s = state.trend.get(t.tagId) ?? { unit: t.unit ?? '', t: [], v: [] };
    s.t.push(Date.parse(t.time) / 1000);
    s.v.push(t.value);
    if (s.t.length > TREND_POINTS) {
      s.t.shift();
      s.v.shift();
    }
    state.trend.set(t.tagId, s);
  }
}

async function loadBalances(): Promise<void> {
  const r = await api<{ balances: Balance[] }>('/v1/snapshot/balances');
  state.balances = r.ok ? r.body.balances : unavailable('Balancing', r.error.status, r.error.message);
}

async function loadAlarms(): Promise<void> {
  const plant = params.get('plantId');
  const r = await api<{ alarms: Alarm[] }>(`/v1/snapshot/alarms${plant ? `?plantId=${encodeURIComponent(plant)}` : ''}`);
  state.alarms = r.ok ? r.body.alarms : unavailable('Safety', r.error.status, r.error.message);
}

const plantQuery = () => (params.get('plantId') ? `?plantId=${encodeURIComponent(params.get('plantId')!)}` : '');

async function loadSchedule(): Promise<void> {
  const r = await api<ScheduleSnapshot>(`/v1/snapshot/schedule${plantQuery()}`);
  state.schedule = r.ok ? r.body : unavailable('Scheduling', r.error.status, r.error.message);
}

async function loadAllocation(): Promise<void> {
  const r = await api<AllocationSnapshot>('/v1/snapshot/allocation');
  state.allocation = r.ok ? r.body : unavailable('Supply-chain', r.error.status, r.error.message);
}

/** The plant (time zone, topology) and the alarm limits (whose configuration also names the zone). */
async function loadPlantAndLimits(): Promise<void> {
  const [plants, limits] = await Promise.all([api<{ defaultPlantId: string | null; plants: PlantInfo[] }>(`/v1/snapshot/plants${plantQuery()}`), api<{ timeZone?: string; tags: { tagId: string; unit?: string; limits: Record<string, number> }[] }>(`/v1/snapshot/limits${plantQuery()}`)]);
  if (plants.ok) state.plants = plants.body.plants;
  if (limits.ok) state.limits = new Map(limits.body.tags.map((t) => [t.tagId, { unit: t.unit, limits: t.limits }]));
  const wanted = params.get('plantId') ?? (plants.ok ? plants.body.defaultPlantId : null);
  const plant = state.plants.find((p) => p.plantId === wanted) ?? state.plants[0];
  state.timeZone = plant?.timeZone ?? (limits.ok ? limits.body.timeZone : undefined) ?? 'UTC';
}

let pending: Promise<void> | undefined;
const pendingTags = new Set<string>();
/** Coalesces the snapshot reads caused by a burst of events into one read per kind. */
function refresh(kinds: { tags?: string[]; balances?: boolean; alarms?: boolean }): void {
  for (const t of kinds.tags ?? []) pendingTags.add(t);
  const want = { ...kinds };
  const run = async () => {
    const ids = [...pendingTags];
    pendingTags.clear();
    await Promise.all([loadTags(ids), want.balances ? loadBalances() : undefined, want.alarms ? loadAlarms() : undefined]);
    renderSoon();
  };
  pending = (pending ?? Promise.resolve()).then(run, run);
}

function onEvent(e: WireEvent): void {
  state.positions.push(e.position);
  why.observe(e as WireEvent & { eventId?: string });
  const d = e.data;
  if (e.type === 'MeasurementsIngested') refresh({ tags: (d['tagIds'] as string[]) ?? [] });
  else if (e.type === 'BalanceReconciled' || e.type === 'BalanceRevised' || e.type === 'GrossErrorSuspected' || e.type === 'LossSuspected' || e.type === 'GrossErrorCleared') refresh({ balances: true });
  else if (e.type.startsWith('Schedule')) void loadSchedule().then(renderSoon);
  else if (e.type.startsWith('Allocation') || e.type === 'SiteTargetsPublished') void loadAllocation().then(renderSoon);
  else if (e.type.startsWith('Alarm')) refresh({ alarms: true });
  else if (/Warning/.test(e.type)) {
    state.warnings.unshift({ at: e.occurredAt ?? e.recordedAt, text: `${e.type}: ${String(d['message'] ?? d['reason'] ?? d['tagId'] ?? d['unitId'] ?? '')}` });
    state.warnings.length = Math.min(state.warnings.length, 50);
    renderSoon();
  }
}

function setLink(s: LinkState): void {
  const el = $('link');
  el.dataset['state'] = s;
  el.textContent = s === 'live' ? 'live' : s === 'offline' ? 'connection lost — reconnecting' : s;
}

async function act(a: Alarm, action: 'ack' | 'shelve'): Promise<void> {
  const body = action === 'ack' ? { plantId: a.plantId, reason: 'acknowledged from the control-room page' } : { plantId: a.plantId, reason: 'shelved from the control-room page', expiresAt: new Date(Date.now() + 3600_000).toISOString() };
  const r = await api(`/v1/alarms/${encodeURIComponent(a.alarmId)}/${action}`, { method: 'POST', body });
  state.alarmMessage = r.ok ? undefined : `${action === 'ack' ? 'Acknowledge' : 'Shelve'} refused (${r.error.status}): ${r.error.message}`;
  await loadAlarms();
  render();
}

/**
 * Live updates redraw at most once per RENDER_INTERVAL_MS: under the demo plant's event rate a
 * redraw per event kept the browser busy enough that clicks on the tabs went unanswered.
 */
const RENDER_INTERVAL_MS = 500;
let lastRender = 0;
let renderTimer: ReturnType<typeof setTimeout> | undefined;
function renderSoon(): void {
  if (renderTimer !== undefined) return;
  renderTimer = setTimeout(() => {
    renderTimer = undefined;
    render();
  }, Math.max(0, lastRender + RENDER_INTERVAL_MS - Date.now()));
}

function render(): void {
  lastRender = Date.now();
  const tabs = $('tabs');
  // The tab buttons are made once: re-making them at every live update made clicks miss them.
  if (tabs.childElementCount === TABS.length) for (const b of Array.from(tabs.children)) b.setAttribute('aria-selected', String(b.textContent === state.tab));
  else tabs.replaceChildren(
    ...TABS.map((t) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.role = 'tab';
      b.textContent = t;
      b.setAttribute('aria-selected', String(t === state.tab));
      b.addEventListener('click', () => {
        state.tab = t;
        render();
      });
      return b;
    }),
  );
  const view = $('view');
  if (!state.who) return view.replaceChildren();
  const tz = state.timeZone;
  const node = {
    Overview: () => overview(state.tags, state.balances, state.plants, tz, state.tagsError),
    Trends: () => trends(state.trend, limitsOf(), tz, view.clientWidth - 24),
    Alarms: () => alarms(state.alarms, state.warnings, state.who, (a, x) => void act(a, x), tz, (tag) => state.limits.get(tag)?.unit ?? state.tags.get(tag)?.unit, state.alarmMessage),
    Schedule: () => gantt(state.schedule, tz),
    Allocation: () => allocationView(state.allocation, tz),
  }[state.tab]();
  view.replaceChildren(node);
}

/** Limits from the alarm configuration; a tag without one there shows the limit of its active alarms. */
function limitsOf(): Limits {
  const m: Limits = new Map(state.limits);
  if (!('unavailable' in state.alarms)) for (const a of state.alarms) if (a.limit !== undefined && !m.has(a.tagId) && /^(HH|H|L|LL)$/.test(a.kind)) m.set(a.tagId, { limits: { [a.kind]: a.limit } });
  return m;
}

const live = new LiveStream(onEvent, (s) => {
  setLink(s);
  // The stream was refused for good (session expired, or a resume position no longer in the log): start afresh.
  if (s === 'signed-out') {
    state.who = undefined;
    void whoAmI();
  }
});

async function start(): Promise<void> {
  $('login').hidden = true;
  $('who').textContent = `${state.who!.subject} (${state.who!.roles.join(', ')})`;
  live.open();
  const initial = (params.get('tags') ?? '').split(',').filter(Boolean);
  await Promise.all([loadTags(initial), loadBalances(), loadAlarms(), loadSchedule(), loadAllocation(), loadPlantAndLimits()]);
  render();
}

async function whoAmI(): Promise<void> {
  const r = await api<Principal>('/v1/session');
  if (r.ok && r.body.subject) {
    if (!state.who) {
      state.who = r.body;
      await start();
    }
    return;
  }
  live.close();
  state.who = undefined;
  setLink('signed-out');
  $('login').hidden = false;
  render();
}

$('login').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('token') as HTMLInputElement;
  void api<Principal>('/v1/session', { method: 'POST', body: { token: input.value.trim() } }).then(async (r) => {
    $('login-error').textContent = r.ok ? '' : `Sign-in refused (${r.error.status}): ${r.error.message}`;
    if (r.ok) {
      input.value = '';
      state.who = r.body;
      await start();
    }
  });
});

let resized: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resized);
  resized = setTimeout(() => state.tab === 'Trends' && render(), 200);
});

render();
void whoAmI();
