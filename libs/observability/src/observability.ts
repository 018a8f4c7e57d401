import type { PlatformConfig } from '@reflux/config';
import type { DestinationStream, Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from './logger.factory';
import { createMetricsRegistry } from './metrics.registry';
import { type MetricsServer, startMetricsServer } from './metrics.server';
import { type Tracing, startTracing } from './tracing';

export type ObservabilityConfig = Pick<
  PlatformConfig,
  | 'SERVICE_NAME'
  | 'LOG_LEVEL'
  | 'METRICS_HOST'
  | 'METRICS_PORT'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
>;

export interface Observability {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Undefined when METRICS_PORT=0. */
  readonly metricsServer?: MetricsServer;
  readonly tracing: Tracing;
  /** Stops the metrics server, flushes and unregisters tracing, flushes the logger. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts logs, metrics and traces for a service from its platform configuration: the first thing
 * main.ts does after loading the configuration, the last thing it stops.
 */
export async function startObservability(
  config: ObservabilityConfig,
  options: { readonly serviceVersion?: string; readonly logDestination?: DestinationStream; readonly spanExporter?: SpanExporter } = {},
): Promise<Observability> {
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL, destination: options.logDestination });
  const registry = createMetricsRegistry({ service: config.SERVICE_NAME });
  const tracing = startTracing({
    serviceName: config.OTEL_SERVICE_NAME ?? config.SERVICE_NAME,
    serviceVersion: options.serviceVersion,
    exporter: config.OTEL_TRACES_EXPORTER,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    otlpTracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    sampler: config.OTEL_TRACES_SAMPLER,
    samplerRatio: config.OTEL_TRACES_SAMPLER_ARG === undefined ? undefined : Number(config.OTEL_TRACES_SAMPLER_ARG),
    spanExporter: options.spanExporter,
    logger,
  });
  let metricsServer: MetricsServer | undefined;
  try {
    if (config.METRICS_PORT > 0) metricsServer = await startMetricsServer({ registry, port: config.METRICS_PORT, host: config.METRICS_HOST, logger });
  } catch (error) {
    await tracing.shutdown();
    throw new Error(`METRICS_PORT ${config.METRICS_PORT}: cannot listen (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  let stopped: Promise<void> | undefined;
  return {
    logger,
    registry,
    metricsServer,
    tracing,
    stop: () =>
      (stopped ??= (async () => {
        await metricsServer?.close();
        await tracing.shutdown();
        logger.flush();
      })()),
  };
}
