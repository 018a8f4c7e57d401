import { Server, type ServiceDefinition } from '@grpc/grpc-js';
import { type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { trace, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { type Logger } from 'pino';
import { type Registry } from 'prom-client';
import { Authenticator } from '../auth/authenticator';
import { type ServiceImplementation } from '../call/call-context';
import { CallPipeline } from '../call/call-pipeline';
import { HealthStatusRegistry, OVERALL_SERVICE } from '../health/health.service';
import { loadPlatformProto } from '../platform-protos';
import { GrpcServerMetrics } from '../telemetry/grpc-metrics';
import { parseGrpcPlatformConfig, type GrpcPlatformConfig, type GrpcPlatformConfigInput } from './grpc-platform.config';
import { serverCredentials } from './tls';

export interface GrpcPlatformServerOptions {
  /** Validated by parseGrpcPlatformConfig; an invalid value throws GrpcPlatformConfigError. */
  readonly config: GrpcPlatformConfigInput | GrpcPlatformConfig;
  readonly logger: Logger;
  /** Prometheus registry for per-method call metrics; none recorded without it. */
  readonly metricsRegistry?: Registry;
  /** Trace context propagator; W3C Trace Context by default. */
  readonly propagator?: TextMapPropagator;
  readonly tracer?: Tracer;
  /** Level of the per-call log line of successful calls; `debug` for high-rate services. Default info. */
  readonly okCallLogLevel?: 'debug' | 'info';
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';
const keepBytes = (bytes: Buffer): Buffer => bytes;
type State = 'new' | 'starting' | 'serving' | 'draining' | 'stopped';

/**
 * One gRPC server per service process, on @grpc/grpc-js: authenticated, role-checked,
 * deadline-aware handlers; grpc.health.v1 and, when configured, server reflection (both open); domain errors mapped
 * to statuses with google.rpc.Status details; metrics, logs and trace context per call; graceful
 * drain on shutdown. Usable standalone or through GrpcPlatformModule (NestJS).
 */
export class GrpcPlatformServer {
  readonly config: GrpcPlatformConfig;
  readonly health: HealthStatusRegistry;
  private readonly server: Server;
  private readonly pipeline: CallPipeline;
  private readonly shutdownController = new AbortController();
  private readonly packages: PackageDefinition[] = [];
  private readonly services: string[] = [];
  private readonly logger: Logger;
  private state: State = 'new';
  private boundPort?: number;
  private stopping?: Promise<void>;

  constructor(options: GrpcPlatformServerOptions) {
    this.config = parseGrpcPlatformConfig(options.config);
    this.logger = options.logger.child({ component: 'grpc-server' });
    this.health = new HealthStatusRegistry({ maxWatchesPerPeer: this.config.maxHealthWatchesPerPeer });
    const optional = (key: string, value: number | undefined) => (value === undefined ? {} : { [key]: value });
    this.server = new Server({
      'grpc.max_receive_message_length': this.config.maxReceiveMessageBytes,
      'grpc.max_send_message_length': this.config.maxSendMessageBytes,
      'grpc.max_concurrent_streams': this.config.maxConcurrentStreams,
      ...optional('grpc.max_connection_age_ms', this.config.maxConnectionAgeMs),
      ...optional('grpc.max_connection_age_grace_ms', this.config.maxConnectionAgeGraceMs),
      ...optional('grpc.keepalive_time_ms', this.config.keepaliveTimeMs),
      ...optional('grpc.keepalive_timeout_ms', this.config.keepaliveTimeoutMs),
    });
    this.pipeline = new CallPipeline({
      authenticator: new Authenticator(this.config.auth),
      logger: options.logger.child({ component: 'grpc-call' }),
      metrics: options.metricsRegistry ? new GrpcServerMetrics(options.metricsRegistry) : undefined,
      propagator: options.propagator,
      tracer: options.tracer ?? trace.getTracer('@reflux/grpc'),
      shutdownSignal: this.shutdownController.signal,
      okCallLogLevel: options.okCallLogLevel,
    });
  }

  /** The bound port once started (useful with port 0). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('gRPC server not started');
    return this.boundPort;
  }

  /** Fully-qualified names of the services registered so far (health and reflection excluded). */
  get serviceNames(): readonly string[] {
    return this.services;
  }

  /**
   * Registers `serviceName` (e.g. `reflux.ingestion.v1.IngestionService`) from a package definition
   * made by @reflux/proto's loadProtoPackage. Every RPC of the service must be implemented, with
   * its streaming kind matching the proto, and nothing else; mismatches throw here, at start-up.
   */
  addService(packageDefinition: PackageDefinition, serviceName: string, implementation: ServiceImplementation): this {
    if (this.state !== 'new') throw new Error(`cannot add ${serviceName}: the gRPC server is already ${this.state}`);
    if (this.services.includes(serviceName)) throw new Error(`${serviceName} is already registered`);
    const definition = packageDefinition[serviceName] as ServiceDefinition | undefined;
    if (!definition || typeof definition !== 'object' || 'format' in definition) throw new Error(`${serviceName} is not a service of the given package definition`);

    const handlers: Record<string, ReturnType<CallPipeline['wrap']>> = {};
    const raw: Record<string, ServiceDefinition[string]> = {};
    const problems: string[] = [];
    for (const [method, def] of Object.entries(definition)) {
      const impl = implementation[method];
      const expected = def.requestStream ? (def.responseStream ? 'bidiStream' : 'clientStream') : def.responseStream ? 'serverStream' : 'unary';
      if (!impl) problems.push(`${method} is not implemented`);
      else if (impl.kind !== expected) problems.push(`${method} is ${expected} in the proto but implemented as ${impl.kind}`);
      else if (impl.roles.length === 0) problems.push(`${method} declares no roles`);
      else {
        // grpc-js hands the handler the request bytes; the pipeline decodes them (with the
        // method's own deserializer, e.g. ingestion's fast SampleBatch decoder) only after the
        // caller is authenticated and authorised.
        raw[method] = { ...def, requestDeserialize: keepBytes };
        handlers[method] = this.pipeline.wrap(serviceName, method, impl, def.requestDeserialize);
      }
    }
    for (const method of Object.keys(implementation)) if (!(method in definition)) problems.push(`${method} is not an RPC of ${serviceName}`);
    if (problems.length > 0) throw new Error(`invalid implementation of ${serviceName}: ${problems.join('; ')}`);

    this.server.addService(raw as ServiceDefinition, handlers);
    this.packages.push(packageDefinition);
    this.services.push(serviceName);
    this.health.register(serviceName);
    return this;
  }

  /** Binds, adds health (and reflection when configured), then reports every service SERVING. */
  async start(): Promise<number> {
    if (this.state !== 'new') throw new Error(`the gRPC server is already ${this.state}`);
    this.state = 'starting';
    const healthPackage = loadPlatformProto('grpc/health/v1/health.proto');
    this.server.addService(healthPackage[HEALTH_SERVICE] as ServiceDefinition, this.health.implementation());
    if (this.config.reflection) {
      const reflected = Object.assign({}, healthPackage, ...this.packages) as PackageDefinition;
      new ReflectionService(reflected as never).addToServer(this.server as never);
    }

    const address = `${this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host}:${this.config.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, serverCredentials(this.config.tls), (error, port) => (error ? reject(error) : resolve(port))),
    );
    if (this.config.auth.disabled) {
      this.logger.warn(
        '!!! AUTHENTICATION IS DISABLED (auth.disabled = true): every caller is treated as admin. Never run like this outside an isolated development machine. !!!',
      );
    }
    this.health.set(OVERALL_SERVICE, 'SERVING');
    for (const service of this.services) this.health.set(service, 'SERVING');
    this.state = 'serving';
    this.logger.info({ address, port: this.boundPort, tls: Boolean(this.config.tls), reflection: this.config.reflection, mutualTls: Boolean(this.config.tls?.requireClientCert), services: this.services }, 'gRPC server serving');
    return this.boundPort;
  }

  /**
   * Graceful shutdown: health NOT_SERVING at once, wait drainDelayMs so load balancers stop
   * routing here, stop accepting calls and let in-flight ones finish; after shutdownGraceMs cancel
   * what is left (handlers see their signal abort) and close. Idempotent.
   */
  shutdown(graceMs: number = this.config.shutdownGraceMs): Promise<void> {
    this.stopping ??= this.drain(graceMs);
    return this.stopping;
  }

  private async drain(graceMs: number): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    this.state = 'draining';
    this.health.shutdown();
    this.logger.info({ drainDelayMs: this.config.drainDelayMs, graceMs }, 'gRPC server draining');
    if (this.config.drainDelayMs > 0) await new Promise((r) => setTimeout(r, this.config.drainDelayMs));
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!drained) {
      this.logger.warn({ graceMs }, 'gRPC calls still running after the grace period: cancelling them');
      this.shutdownController.abort();
      this.server.forceShutdown();
    }
    this.state = 'stopped';
    this.logger.info({ drained }, 'gRPC server stopped');
  }
}
