import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * A Prometheus registry for one service (never prom-client's global one, so tests and several
 * services in one process do not collide), labelled `service=<name>`, with the default process
 * metrics (CPU, memory, event-loop lag, GC, handles) under their standard names
 * (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`), which existing dashboards expect.
 */
export function createMetricsRegistry(options: { readonly service: string; readonly defaultMetrics?: boolean }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
