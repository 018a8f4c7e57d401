/// <reference lib="dom" />
/**
 * "Why?": the causation chain of a schedule or allocation proposal (or any event, `?why=<eventId>`),
 * from the gateway's `GET /v1/events/{eventId}/trace`, in a small panel of its own. Self-contained:
 * main.ts hands it every live event (`why.observe(e)`); it keeps the latest proposals and draws itself.
 */
import { api } from './api';
import { h } from './dom';

interface TraceNode {
  eventId: string;
  type: string;
  source?: string;
  subject?: string;
  occurredAt?: string;
  recordedAt: string;
  children: TraceNode[];
}
interface Trace {
  eventId: string;
  root: TraceNode;
  events: number;
  truncated: boolean;
  unresolvedCause?: string;
}

/** Event types whose "why" the panel offers a button for (latest one of each seen live). */
const EXPLAINED = ['ScheduleProposed', 'AllocationProposed', 'UnitTripped'] as const;

const STYLE = `#why{position:fixed;right:8px;bottom:8px;max-width:48em;max-height:40vh;overflow:auto;background:#e6e6e6;border:1px solid #999;padding:4px 8px;font-size:12px;z-index:10}
#why h2{font-size:13px;margin:2px 0}#why ol{list-style:none;margin:4px 0;padding:0}#why li{white-space:nowrap;font-family:monospace}
#why li[data-focus]{font-weight:bold}#why button{margin-right:4px}#why .muted{color:#555}`;

class WhyPanel {
  private readonly latest = new Map<string, string>();
  private readonly root = h('aside', { id: 'why', 'aria-label': 'Why: causation chain' });
  private trace: Trace | undefined;
  private message = '';
  /** `?why=<eventId>`: asked for once the page is signed in (the first live event). */
  private asked = new URLSearchParams(location.search).get('why') ?? undefined;

  constructor() {
    document.head.append(h('style', {}, STYLE));
    document.body.append(this.root);
    this.draw();
  }

  /** The hook: every live event the page applies. */
  observe(e: { type: string; eventId?: string }): void {
    if (this.asked) {
      const eventId = this.asked;
      this.asked = undefined;
      void this.explain(eventId);
    }
    if (!e.eventId || !(EXPLAINED as readonly string[]).includes(e.type)) return;
    this.latest.set(e.type, e.eventId);
    this.draw();
  }

  async explain(eventId: string): Promise<void> {
    this.message = 'Loading…';
    this.draw();
    const r = await api<Trace>(`/v1/events/${encodeURIComponent(eventId)}/trace`);
    this.trace = r.ok ? r.body : undefined;
    this.message = r.ok ? '' : `Trace refused (${r.error.status}): ${r.error.message}`;
    this.draw();
  }

  private draw(): void {
    const buttons = EXPLAINED.filter((t) => this.latest.has(t)).map((t) => {
      const b = h('button', { type: 'button', 'data-type': t }, `Why ${t}?`);
      b.addEventListener('click', () => void this.explain(this.latest.get(t)!));
      return b;
    });
    const lines: HTMLElement[] = [];
    const walk = (n: TraceNode, depth: number) => {
      const time = (n.occurredAt ?? n.recordedAt).replace('T', ' ').slice(0, 19);
      const text = `${'  '.repeat(depth)}${depth > 0 ? '└ ' : ''}${n.type}  ${time}  ${n.source ?? ''}  ${n.subject ?? ''}`;
      lines.push(h('li', { 'data-event-id': n.eventId, 'data-type': n.type, 'data-focus': n.eventId === this.trace?.eventId, title: n.eventId }, text));
      for (const c of n.children) walk(c, depth + 1);
    };
    if (this.trace) walk(this.trace.root, 0);
    // Out of the way (hidden) until there is something to explain.
    this.root.hidden = buttons.length === 0 && !this.trace && !this.message;
    const parts = [
      h('h2', {}, 'Why'),
      buttons.length > 0 ? h('div', {}, ...buttons) : undefined,
      this.message ? h('p', { class: 'muted' }, this.message) : undefined,
      this.trace?.unresolvedCause ? h('p', { class: 'muted' }, `Root caused by ${this.trace.unresolvedCause} (not in the event log)`) : undefined,
      this.trace ? h('ol', { class: 'chain' }, ...lines) : undefined,
      this.trace?.truncated ? h('p', { class: 'muted' }, 'Truncated: more events below were not fetched.') : undefined,
    ];
    this.root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== undefined));
  }
}

export const why = new WhyPanel();
