import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';

export type TracesExporter = 'otlp' | 'console' | 'none';
export type TracesSampler = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingOptions {
  readonly serviceName: string;
  readonly serviceVersion?: string;
  readonly exporter: TracesExporter;
  /** Base OTLP/HTTP endpoint (`http://collector:4318`); `/v1/traces` is appended. Default `http://localhost:4318`. */
  readonly otlpEndpoint?: string;
  /** Full OTLP/HTTP traces URL; wins over `otlpEndpoint` (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  readonly otlpTracesEndpoint?: string;
  readonly sampler?: TracesSampler;
  /** Ratio 0..1 for the `*traceidratio` samplers. */
  readonly samplerRatio?: number;
  /** Replaces the exporter chosen by `exporter` (tests use an in-memory exporter). */
  readonly spanExporter?: SpanExporter;
  readonly logger?: Logger;
}

export interface Tracing {
  /** Whether spans are recorded and exported (false for exporter `none`). */
  readonly enabled: boolean;
  /** Exports pending spans now. */
  flush(): Promise<void>;
  /** Flushes, then unregisters everything this call registered globally. Idempotent. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * Sets up OpenTelemetry tracing for the process: the W3C trace-context (and baggage) propagator and
 * an AsyncLocalStorage context manager are always registered, so `traceparent` headers of incoming
 * calls and messages are carried on to outgoing ones. With exporter `none` no tracer provider is
 * registered: the API hands out non-recording spans, which cost a few allocations and export nothing.
 * With `otlp` spans go in batches over OTLP/HTTP (JSON); with `console` each span is printed.
 * One tracing setup per process: a second call without shutting down the first throws.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (active) throw new Error('tracing is already started in this process; shut it down first');
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));

  let provider: BasicTracerProvider | undefined;
  if (options.exporter !== 'none' || options.spanExporter) {
    const exporter = options.spanExporter ?? createExporter(options);
    const processor: SpanProcessor = options.exporter === 'console' && !options.spanExporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      }),
      sampler: createSampler(options.sampler ?? 'parentbased_always_on', options.samplerRatio),
      spanProcessors: [processor],
    });
    trace.setGlobalTracerProvider(provider);
  }
  options.logger?.info({ exporter: options.spanExporter ? 'custom' : options.exporter, sampler: options.sampler ?? 'parentbased_always_on' }, 'tracing started');

  let stopped: Promise<void> | undefined;
  const tracing: Tracing = {
    enabled: provider !== undefined,
    flush: async () => {
      await provider?.forceFlush();
    },
    shutdown: () =>
      (stopped ??= (async () => {
        try {
          await provider?.shutdown();
        } catch (error) {
          options.logger?.warn({ err: error }, 'flushing spans at shutdown failed');
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
          active = undefined;
        }
      })()),
  };
  active = tracing;
  return tracing;
}

/** The OTLP/HTTP endpoint the OpenTelemetry specification gives when none is configured. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/**
 * The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else
 * OTEL_EXPORTER_OTLP_ENDPOINT plus `/v1/traces`, else the specification's default
 * (`http://localhost:4318/v1/traces`, an OpenTelemetry collector beside the service).
 */
export function otlpTracesUrl(options: Pick<TracingOptions, 'otlpEndpoint' | 'otlpTracesEndpoint'>): { url: string; defaulted: boolean } {
  if (options.otlpTracesEndpoint) return { url: options.otlpTracesEndpoint, defaulted: false };
  const base = options.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT;
  return { url: `${base.replace(/\/+$/, '')}/v1/traces`, defaulted: options.otlpEndpoint === undefined };
}

function createExporter(options: TracingOptions): SpanExporter {
  if (options.exporter === 'console') return new ConsoleSpanExporter();
  const { url, defaulted } = otlpTracesUrl(options);
  if (defaulted) {
    options.logger?.warn(
      { url },
      'OTEL_TRACES_EXPORTER=otlp without OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sending traces to the OpenTelemetry default, a collector on localhost',
    );
  }
  // An unreachable collector costs dropped spans (logged by the exporter), never the service.
  return new OTLPTraceExporter({ url });
}

function createSampler(name: TracesSampler, ratio = 1): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default: {
      const never: never = name;
      throw new Error(`unknown sampler ${String(never)}`);
    }
  }
}
