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
  /** Types the consumer handles; undefined: every type of its topics this build knows. */
  readonly types?: ReadonlySet<string>;
  readonly handler: EventHandler;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly transaction?: DeliveryContext['transaction'];
  /** Wraps each try, e.g. in a SAVEPOINT so a failed try leaves the transaction clean. */
  readonly aroundAttempt?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Errors after which this delivery cannot go on where it is (the PostgreSQL bus's batch
   * transaction is gone): the outcome is `abandoned` and the message is delivered again later.
   */
  readonly abandonOn?: (error: unknown) => boolean;
  /** Aborted while the consumer is stopping (or lost its partition): a failure is then left for redelivery. */
  readonly signal: AbortSignal;
  /** Told before each backoff sleep (metrics, health). */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number, event: { eventId?: string; eventType?: string }) => void;
}

export type DeliveryOutcome =
  | { readonly kind: 'handled'; readonly attempts: number }
  /** Not for this consumer: a type it did not ask for, or one this build does not know. */
  | { readonly kind: 'skipped'; readonly reason: 'unwanted-type' | 'unknown-type' }
  | { readonly kind: 'dead-letter'; readonly info: DeadLetterInfo }
  | { readonly kind: 'abandoned'; readonly error: unknown };

/**
 * The consumer pipeline both adapters share: decode and validate (a contract violation is
 * dead-lettered at once; a schema version newer than this build is held, see
 * `CONTRACTS.SCHEMA_VERSION_AHEAD`), skip types the consumer does not handle or does not know, run
 * the handler inside the producer's trace context and retry retriable failures with capped backoff
 * for as long as it takes; dead-letter only a non-retriable failure. Returning is the moment the
 * caller may go on to the next message of the subject, so per-subject order holds. An `abandoned`
 * outcome (stopping, or the batch transaction lost) must not be acknowledged.
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
  if (options.types && typeof rawType === 'string' && !options.types.has(rawType)) return { kind: 'skipped', reason: 'unwanted-type' };
  if (raw.ok && typeof rawType === 'string' && !options.registry.has(rawType)) {
    options.logger.debug({ ...base }, 'skipping an integration event type this build does not know');
    return { kind: 'skipped', reason: 'unknown-type' };
  }
  const hooks = (stage: string) => ({
    signal: options.signal,
    onRetry: (error: unknown, attempt: number, delayMs: number) => {
      options.logger.warn({ ...base, attempt, delayMs, errorCode: describeError(error).code, err: describeError(error).message }, `integration event ${stage}; holding it and retrying`);
      options.onRetry?.(error, attempt, delayMs, base);
    },
  });

  // Undecodable bytes never become decodable; a newer schema version (retriable) waits for a newer build.
  const parsed = raw.ok
    ? await retryWithBackoff(async () => options.registry.parse(raw.value) as IntegrationEvent, options.retry, hooks('cannot be read yet'))
    : ({ ok: false, error: raw.error, attempts: 1, reason: 'non-retriable' } as const);
  if (!parsed.ok) {
    if (parsed.reason === 'stopped') return { kind: 'abandoned', error: parsed.error };
    const { code, message: text } = describeError(parsed.error);
    options.logger.warn({ ...base, errorCode: code, err: text }, 'dead-lettering an invalid integration event');
    return { kind: 'dead-letter', info: { ...base, reason: 'invalid-event', errorCode: code, errorMessage: text, attempts: 0, failedAt: new Date().toISOString() } };
  }
  const event = parsed.value;

  const traceContext = extractTraceContext(message.headers);
  const around = options.aroundAttempt ?? (<T>(work: () => Promise<T>) => work());
  let abandonedBy: unknown;
  const stopOnAbandon = new AbortController();
  const signal = AbortSignal.any([options.signal, stopOnAbandon.signal]);
  const outcome = await retryWithBackoff(
    async (attempt) => {
      try {
        return await around(() =>
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
        );
      } catch (error) {
        if (options.abandonOn?.(error)) {
          abandonedBy = error;
          stopOnAbandon.abort();
        }
        throw error;
      }
    },
    options.retry,
    { ...hooks('handler failed'), signal },
  );
  if (outcome.ok) return { kind: 'handled', attempts: outcome.attempts };
  if (outcome.reason === 'stopped') return { kind: 'abandoned', error: abandonedBy ?? outcome.error };
  const { code, message: text } = describeError(outcome.error);
  options.logger.error({ ...base, attempts: outcome.attempts, errorCode: code, err: text }, 'integration event handler failed for good (non-retriable); dead-lettering');
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
