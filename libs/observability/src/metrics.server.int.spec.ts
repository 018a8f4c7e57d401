import { request } from 'node:http';
import { Counter } from 'prom-client';
import { createMetricsRegistry } from './metrics.registry';
import { startMetricsServer } from './metrics.server';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('metrics server', () => {
  it('serves the registry in Prometheus text format with default process metrics and the service label', async () => {
    const registry = createMetricsRegistry({ service: 'ingestion' });
    const samples = new Counter({ name: 'reflux_ingested_samples_total', help: 'Samples accepted', registers: [registry] });
    samples.inc(42);
    const server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
    try {
      const res = await get(server.port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      expect(res.body).toContain('reflux_ingested_samples_total{service="ingestion"} 42');
      expect(res.body).toMatch(/^process_cpu_user_seconds_total\{service="ingestion"\} /m);
      expect(res.body).toContain('nodejs_eventloop_lag_seconds');
      expect((await get(server.port, '/healthz')).status).toBe(200);
      expect((await get(server.port, '/other')).status).toBe(404);
      expect((await get(server.port, '/metrics', 'POST')).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('stops listening on close, and two services in one process keep separate registries', async () => {
    const a = createMetricsRegistry({ service: 'a', defaultMetrics: false });
    const b = createMetricsRegistry({ service: 'b', defaultMetrics: false });
    new Counter({ name: 'only_in_a_total', help: 'x', registers: [a] }).inc();
    const server = await startMetricsServer({ registry: b, port: 0, host: '127.0.0.1' });
    expect((await get(server.port, '/metrics')).body).not.toContain('only_in_a_total');
    await server.close();
    await expect(get(server.port, '/metrics')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects when the port is taken', async () => {
    const registry = createMetricsRegistry({ service: 'a', defaultMetrics: false });
    const first = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
    try {
      await expect(startMetricsServer({ registry, port: first.port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
