import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, read, readYaml } from './deploy-fixtures';

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: { readonly expr: string }[];
}

/** Names of metrics the code registers: string literals passed as a metric `name` (prom-client) or to a registry helper. */
function registeredMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/(?:name: |\(registry, )'([a-z][a-z0-9_]*)'/g)) names.add(m[1]);
      }
    }
  };
  for (const dir of ['libs', 'services']) walk(join(ROOT, dir));
  return names;
}

const PROMQL_FUNCTIONS = new Set(['sum', 'max', 'min', 'avg', 'by', 'rate', 'increase', 'histogram_quantile', 'le', 'without', 'count']);

/** Metric names a PromQL expression selects (identifiers before `{` or standalone, not functions or labels). */
function metricsOf(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '');
  const grouped = withoutLabels.replace(/\b(by|without)\s*\([^)]*\)/g, '');
  return [...grouped.matchAll(/\b([a-z_][a-z0-9_]*)\b/g)].map((m) => m[1]).filter((w) => !PROMQL_FUNCTIONS.has(w) && !/^\d/.test(w));
}

describe('Grafana provisioning of the compose stack (deploy/grafana)', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/reflux-platform.json')) as { uid: string; panels: Panel[] };
  const panels = dashboard.panels.filter((p) => p.type !== 'row');

  it('provisions the Prometheus data source and the dashboards folder that compose mounts', () => {
    const datasources = readYaml<{ datasources: { url: string; uid: string }[] }>('deploy/grafana/provisioning/datasources/prometheus.yaml').datasources;
    expect(datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const provider = readYaml<{ providers: { options: { path: string } }[] }>('deploy/grafana/provisioning/dashboards/reflux.yaml').providers[0];
    const compose = read('docker-compose.yml');
    expect(compose).toContain(`./deploy/grafana/dashboards:${provider.options.path}:ro`);
  });

  it('shows ingestion calls and acknowledgement latency, bus lag and balance closures', () => {
    const titles = panels.map((p) => p.title.toLowerCase());
    for (const topic of ['ingestion write', 'acknowledgement latency', 'consumer lag', 'balance windows', 'global test ratio']) {
      expect([topic, titles.some((t) => t.includes(topic))]).toEqual([topic, true]);
    }
  });

  it('queries only metrics that the services register', () => {
    const registered = registeredMetricNames();
    expect(registered.has('grpc_server_handled_total')).toBe(true);
    const used = [...new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsOf(t.expr))))];
    expect(used.length).toBeGreaterThanOrEqual(8);
    const unknown = used.filter((m) => !registered.has(m.replace(/_(bucket|sum|count)$/, '')));
    expect(unknown).toEqual([]);
  });
});
