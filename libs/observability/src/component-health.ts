import { Gauge, type Registry } from 'prom-client';

/**
 * What a long-running part of a service (a bus consumer, an event-store subscription, the outbox
 * relay, a publisher) says about itself. `running` and `degraded` keep the service SERVING
 * (degraded: working but behind or retrying, e.g. a broker outage the relay is waiting out);
 * `stopped` and `failed` mean it no longer makes progress, and the service reports NOT_SERVING.
 */
export type ComponentState = 'starting' | 'running' | 'degraded' | 'stopped' | 'failed';

export interface ComponentReport {
  readonly name: string;
  /** consumer, subscription, relay, publisher, … */
  readonly kind: string;
  readonly state: ComponentState;
  readonly detail?: string;
  readonly since: Date;
}

const STATE_VALUE: Record<ComponentState, number> = { starting: 0, running: 1, degraded: 0.5, stopped: -1, failed: -2 };

/**
 * One per service: every consumer and subscription reports its state here; the gRPC health
 * service follows `healthy()` (see `bindComponentHealth` in @reflux/grpc), and the gauge
 * `reflux_component_state{component,kind}` (1 running, 0.5 degraded, 0 starting, -1 stopped,
 * -2 failed) lets an alert name the component that stopped.
 */
export class ComponentHealth {
  private readonly components = new Map<string, ComponentReport>();
  private readonly listeners = new Set<(report: ComponentReport) => void>();
  private readonly gauge?: Gauge<'component' | 'kind'>;
  private shuttingDown = false;

  constructor(registry?: Registry) {
    if (registry) {
      const existing = registry.getSingleMetric('reflux_component_state') as Gauge<'component' | 'kind'> | undefined;
      this.gauge =
        existing ??
        new Gauge({
          name: 'reflux_component_state',
          help: 'State of each consumer, subscription and relay: 1 running, 0.5 degraded, 0 starting, -1 stopped, -2 failed',
          labelNames: ['component', 'kind'],
          registers: [registry],
        });
    }
  }

  /** Records a component's state; listeners hear only real changes (state or detail). */
  report(name: string, kind: string, state: ComponentState, detail?: string): void {
    const previous = this.components.get(name);
    if (previous && previous.state === state && previous.detail === detail) return;
    const report: ComponentReport = { name, kind, state, ...(detail === undefined ? {} : { detail }), since: new Date() };
    this.components.set(name, report);
    this.gauge?.set({ component: name, kind }, STATE_VALUE[state]);
    for (const listener of this.listeners) listener(report);
  }

  /** A component that is gone on purpose (its owner closed it) no longer counts. */
  remove(name: string): void {
    if (!this.components.delete(name)) return;
    this.gauge?.remove({ component: name });
  }

  /** During shutdown components stop on purpose: they are no longer held against health. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  get(name: string): ComponentReport | undefined {
    return this.components.get(name);
  }

  snapshot(): ComponentReport[] {
    return [...this.components.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** No component has stopped or failed (while not shutting down). */
  healthy(): boolean {
    if (this.shuttingDown) return true;
    for (const report of this.components.values()) if (report.state === 'stopped' || report.state === 'failed') return false;
    return true;
  }

  /** The components that make the service unhealthy, for a log line or a health detail. */
  unhealthy(): ComponentReport[] {
    return this.snapshot().filter((report) => report.state === 'stopped' || report.state === 'failed');
  }

  onChange(listener: (report: ComponentReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
