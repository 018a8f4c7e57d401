import { Counter, Histogram, type Registry } from 'prom-client';

export type RpcType = 'unary' | 'server_stream' | 'client_stream' | 'bidi_stream';

interface CallLabels {
  grpc_type: RpcType;
  grpc_service: string;
  grpc_method: string;
}

/**
 * Prometheus metrics per method and status, named as go-grpc-prometheus names them so existing
 * Grafana dashboards work: grpc_server_started_total, grpc_server_handled_total{grpc_code} and
 * grpc_server_handling_seconds{grpc_code}. Several servers may share a registry.
 */
export class GrpcServerMetrics {
  private readonly started: Counter<keyof CallLabels>;
  private readonly handled: Counter<keyof CallLabels | 'grpc_code'>;
  private readonly duration: Histogram<keyof CallLabels | 'grpc_code'>;

  constructor(registry: Registry) {
    const labelNames = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
    this.started = reuse(registry, 'grpc_server_started_total', () => new Counter({ name: 'grpc_server_started_total', help: 'RPCs started on the server.', labelNames, registers: [registry] }));
    this.handled = reuse(
      registry,
      'grpc_server_handled_total',
      () => new Counter({ name: 'grpc_server_handled_total', help: 'RPCs completed on the server, by status code.', labelNames: [...labelNames, 'grpc_code'], registers: [registry] }),
    );
    this.duration = reuse(
      registry,
      'grpc_server_handling_seconds',
      () =>
        new Histogram({
          name: 'grpc_server_handling_seconds',
          help: 'Time from call start to status sent, in seconds.',
          labelNames: [...labelNames, 'grpc_code'],
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers: [registry],
        }),
    );
  }

  callStarted(labels: CallLabels): void {
    this.started.inc(labels);
  }

  callHandled(labels: CallLabels, grpcCode: string, seconds: number): void {
    this.handled.inc({ ...labels, grpc_code: grpcCode });
    this.duration.observe({ ...labels, grpc_code: grpcCode }, seconds);
  }
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
