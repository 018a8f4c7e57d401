import { execFile } from 'node:child_process';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Metadata } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { freePort } from '@reflux/testing';
import { startObservability } from './observability';
import { activeTraceId, extractTraceContext, injectTraceContext, withSpan } from './trace-context';
import { type Tracing, startTracing } from './tracing';

const execFileAsync = promisify(execFile);
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracing', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  // The OTLP/HTTP exporter loads node:http with a dynamic import(), which Jest's VM cannot run; the
  // export therefore runs in a real Node process started the way containers start services.
  it('exports spans over OTLP/HTTP to the configured endpoint with the service name', async () => {
    const bodies: string[] = [];
    const paths: string[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        paths.push(req.url ?? '');
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    try {
      const port = (collector.address() as AddressInfo).port;
      const script = `
        const o = require('./libs/observability/src/index.ts');
        const t = o.startTracing({ serviceName: 'balancing', exporter: 'otlp', otlpEndpoint: 'http://127.0.0.1:${port}/' });
        o.withSpan('reconcile', (span) => span.setAttribute('reflux.units', 12), { kind: o.SpanKind.SERVER })
          .then(() => t.shutdown())
          .then(() => process.stdout.write(JSON.stringify({ enabled: t.enabled })));`;
      const { stdout } = await execFileAsync(process.execPath, ['-r', './scripts/register.cjs', '-e', script], { cwd: resolve(__dirname, '../../..'), timeout: 30_000 });
      expect(JSON.parse(stdout.trim())).toEqual({ enabled: true });
      expect(paths).toEqual(['/v1/traces']);
      expect(bodies[0]).toContain('"reconcile"');
      expect(bodies[0]).toContain('"service.name","value":{"stringValue":"balancing"}');
      expect(bodies[0]).toContain('"reflux.units"');
    } finally {
      await new Promise((r) => collector.close(r));
    }
  });

  it('continues an incoming trace and carries it on through records, Kafka headers and gRPC metadata', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 's', exporter: 'none', spanExporter: exporter });
    const out = await withSpan(
      'handle',
      () => {
        const record = injectTraceContext<Record<string, string>>({});
        const kafka = injectTraceContext<Record<string, Buffer | string>>({});
        const metadata = injectTraceContext(new Metadata());
        return { record, kafka, metadata, traceId: activeTraceId() };
      },
      { parent: { traceparent: Buffer.from(incoming) } },
    );
    expect(out.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const [, traceId, parentSpanId] = TRACEPARENT.exec(out.record.traceparent)!;
    expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(String(out.kafka.traceparent)).toBe(out.record.traceparent);
    expect(out.metadata.get('traceparent')).toEqual([out.record.traceparent]);
    // The outgoing parent is our span, whose own parent is the incoming span.
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().spanId).toBe(parentSpanId);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');

    // Reading back from gRPC metadata and Kafka-style capitalised Buffer headers.
    const fromMetadata = trace.getSpanContext(extractTraceContext(out.metadata));
    const fromHeaders = trace.getSpanContext(extractTraceContext({ Traceparent: Buffer.from(out.record.traceparent) }));
    expect(fromMetadata?.spanId).toBe(parentSpanId);
    expect(fromHeaders?.spanId).toBe(parentSpanId);
  });

  it('records nothing with exporter none, yet still propagates the incoming trace id', async () => {
    tracing = startTracing({ serviceName: 's', exporter: 'none' });
    expect(tracing.enabled).toBe(false);
    const carried = await withSpan('noop', (span) => {
      expect(span.isRecording()).toBe(false);
      return injectTraceContext<Record<string, string>>({});
    }, { parent: { traceparent: incoming } });
    expect(carried.traceparent).toBe(incoming);
  });

  it('leaves a carrier untouched outside any trace', () => {
    tracing = startTracing({ serviceName: 's', exporter: 'none' });
    expect(injectTraceContext({})).toEqual({});
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('marks the span as failed and rethrows when the function throws', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 's', exporter: 'none', spanExporter: exporter });
    await expect(withSpan('fails', async () => Promise.reject(new Error('infeasible')))).rejects.toThrow('infeasible');
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toMatchObject({ code: 2, message: 'infeasible' });
    expect(span.events[0].name).toBe('exception');
  });

  it('refuses a second setup until the first is shut down, then starts again cleanly', async () => {
    tracing = startTracing({ serviceName: 's', exporter: 'none' });
    expect(() => startTracing({ serviceName: 's', exporter: 'none' })).toThrow(/already started/);
    await tracing.shutdown();
    await tracing.shutdown();
    tracing = startTracing({ serviceName: 's', exporter: 'none' });
  });
});

describe('startObservability', () => {
  it('starts logger, metrics endpoint and tracing from the platform config and stops them all', async () => {
    const lines: string[] = [];
    const exporter = new InMemorySpanExporter();
    const obs = await startObservability(
      {
        SERVICE_NAME: 'ingestion',
        LOG_LEVEL: 'info',
        METRICS_HOST: '127.0.0.1',
        METRICS_PORT: 0,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
        OTEL_SERVICE_NAME: undefined,
        OTEL_TRACES_SAMPLER_ARG: undefined,
      },
      { logDestination: { write: (s: string) => void lines.push(s) }, spanExporter: exporter },
    );
    expect(obs.metricsServer).toBeUndefined();
    await withSpan('op', () => obs.logger.info('inside'));
    const line = JSON.parse(lines.find((l) => l.includes('"inside"'))!) as Record<string, string>;
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    await obs.tracing.flush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['op']);
    await obs.stop();
    await obs.stop();
    expect(trace.getTracer('x').startSpan('after').isRecording()).toBe(false);
  });

  it('serves /metrics on METRICS_PORT and frees the port on stop', async () => {
    const port = await freePort();
    const obs = await startObservability({
      SERVICE_NAME: 'balancing',
      LOG_LEVEL: 'silent',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: port,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_SERVICE_NAME: undefined,
      OTEL_TRACES_SAMPLER_ARG: undefined,
    });
    expect(obs.metricsServer?.port).toBe(port);
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(body).toContain('service="balancing"');
    await obs.stop();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
