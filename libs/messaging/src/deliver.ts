import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { ContractRegistry, IntegrationEvent } from '@reflux/contracts';
import type { Logger } from 'pino';
import type { DeadLetterInfo } from './dead-letter';
import { describeError } from './dead-letter';
import type { DeliveryContext, EventHandler, RetryPolicy } from './event-bus.port';
import { retryWithBackoff } from './retry';
import { extractTraceContext } from './trace-context';

export interface IncomingMessage {
  /** The decoded envelope, or the error that prevented decoding it. */
  readonly envelope: { ok: true; value: unknown } | { ok: false; error: unknown };
  readonly topic: string;
  readonly position: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface DeliverOptions {
  readonly group: string;
  readonly registry: ContractRegistry;
  /** Types the consumer handles; undefined: every type of its topics. */
  readonly types?: ReadonlySet<string>;
  readonly handler: EventHandler;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly transaction?: DeliveryContext['transaction'];
  /** Wraps each try, e.g. in a SAVEPOINT so a failed try leaves the transaction clean. */
  readonly aroundAttempt?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Called before each backoff sleep, e.g. a Kafka group heartbeat so a long retry keeps the partition. */
  readonly keepAlive?: () => Promise<void>;
  /** True while the consumer is stopping: a failure is then left for redelivery, not dead-lettered. */
  readonly stopping: () => boolean;
}

export type DeliveryOutcome =
  | { readonly kind: 'handled'; readonly attempts: number }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'dead-letter'; readonly info: DeadLetterInfo }
  | { readonly kind: 'abandoned'; readonly error: unknown };

/**
 * The consumer pipeline both adapters share: decode and validate (a contract violation is
 * dead-lettered at once), skip types the consumer does not handle, run the handler inside the
 * producer's trace context with retries and backoff, dead-letter after the last try. An
 * `abandoned` outcome (shutdown mid-retry) must not be acknowledged.
 */
export async function deliver(message: IncomingMessage, options: DeliverOptions): Promise<DeliveryOutcome> {
  const raw = message.envelope;
  const rawType = raw.ok ? (raw.value as { type?: unknown } | null)?.type : undefined;
  const rawId = raw.ok ? (raw.value as { eventId?: unknown } | null)?.eventId : undefined;
  const base = {
    group: options.group,
    topic: message.topic,
    position: message.position,
    ...(typeof rawId === 'string' && { eventId: rawId }),
    ...(typeof rawType === 'string' && { eventType: rawType }),
  };
  if (options.types && typeof rawType === 'string' && !options.types.has(rawType)) return { kind: 'skipped' };

  let event: IntegrationEvent;
  try {
    if (!raw.ok) throw raw.error;
    event = options.registry.parse(raw.value);
  } catch (error) {
    const { code, message: text } = describeError(error);
    options.logger.warn({ ...base, errorCode: code, err: text }, 'dead-lettering an invalid integration event');
    return { kind: 'dead-letter', info: { ...base, reason: 'invalid-event', errorCode: code, errorMessage: text, attempts: 0, failedAt: new Date().toISOString() } };
  }

  const traceContext = extractTraceContext(message.headers);
  const keepAlive = options.keepAlive;
  const around = options.aroundAttempt ?? (<T>(work: () => Promise<T>) => work());
  const outcome = await retryWithBackoff(
    (attempt) =>
      around(() =>
        inConsumerSpan(traceContext, event, message, options.group, attempt, () =>
          options.handler(event, {
            group: options.group,
            topic: message.topic,
            attempt,
            traceContext,
            position: message.position,
            ...(options.transaction && { transaction: options.transaction }),
          }),
        ),
      ),
    options.retry,
    {
      shouldStop: options.stopping,
      onRetry: (error, attempt, delayMs) =>
        options.logger.warn({ ...base, attempt, delayMs, err: describeError(error).message }, 'integration event handler failed; retrying'),
      ...(keepAlive && {
        sleep: async (ms: number) => {
          await keepAlive().catch((e: Error) => options.logger.warn({ ...base, err: e.message }, 'keep-alive during retry failed'));
          await new Promise<void>((resolve) => setTimeout(resolve, ms));
        },
      }),
    },
  );
  if (outcome.ok) return { kind: 'handled', attempts: outcome.attempts };
  if (options.stopping()) return { kind: 'abandoned', error: outcome.error };
  const { code, message: text } = describeError(outcome.error);
  options.logger.error({ ...base, attempts: outcome.attempts, errorCode: code, err: text }, 'integration event handler gave up; dead-lettering');
  return {
    kind: 'dead-letter',
    info: { ...base, reason: 'handler-failed', errorCode: code, errorMessage: text, attempts: outcome.attempts, failedAt: new Date().toISOString() },
  };
}

const tracer = trace.getTracer('@reflux/messaging');

/**
 * Runs one handler try in a CONSUMER span whose parent is the producer's context (OpenTelemetry
 * messaging conventions). Without a tracer provider the span is non-recording and the producer's
 * trace id still reaches the handler through the active context.
 */
async function inConsumerSpan<T>(parent: Context, event: IntegrationEvent, message: IncomingMessage, group: string, attempt: number, work: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(
    `${message.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.consumer.group.name': group,
        'messaging.message.id': event.eventId,
        'reflux.event.type': event.type,
        'reflux.delivery.attempt': attempt,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
