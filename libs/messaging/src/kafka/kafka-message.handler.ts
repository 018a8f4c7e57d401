import type { ContractRegistry } from '@reflux/contracts';
import type { EachMessagePayload, Message } from 'kafkajs';
import type { Logger } from 'pino';
import { deadLetterHeaders } from '../dead-letter';
import { deliver } from '../deliver';
import type { EventHandler, RetryPolicy } from '../event-bus.port';
import type { ConsumerObserver } from '../monitoring/consumer-observer';
import { heartbeatWhileHeld } from './heartbeat-while-held';
import { decodeValue, headersToStrings } from './kafka-message.codec';

export interface KafkaMessageHandlerContext {
  readonly group: string;
  readonly registry: ContractRegistry;
  readonly types?: ReadonlySet<string>;
  readonly handler: EventHandler;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** Aborted when the consumer stops. */
  readonly stopping: AbortSignal;
  readonly observer: ConsumerObserver;
  readonly heartbeatIntervalMs: number;
  /** Latest high watermark per `topic/partition`, from kafkajs's batch events. */
  readonly highWatermarks: ReadonlyMap<string, bigint>;
  /** Writes a dead letter to `<topic>.dlq` (throws when the broker does not acknowledge). */
  readonly sendDeadLetter: (topic: string, message: Message) => Promise<void>;
}

/**
 * One message of a Kafka consumer (kafkajs `eachMessage`): held while its handler runs and retries,
 * heartbeating meanwhile; dead-lettered only when it can never succeed. Returning lets kafkajs commit
 * the offset; throwing leaves it uncommitted for redelivery (stopping, or the partition lost to a
 * rebalance: the rebalancing error makes kafkajs rejoin).
 */
export async function handleKafkaMessage({ topic, partition, message, heartbeat }: EachMessagePayload, ctx: KafkaMessageHandlerContext): Promise<void> {
  const headers = headersToStrings(message.headers);
  const held = new AbortController();
  let lostPartition: unknown;
  const keepAlive = heartbeatWhileHeld(heartbeat, ctx.heartbeatIntervalMs, ctx.logger, (error) => {
    lostPartition = error;
    held.abort();
  });
  let outcome;
  try {
    outcome = await deliver(
      { envelope: decodeValue(message), topic, position: `${partition}/${message.offset}`, headers },
      {
        group: ctx.group,
        registry: ctx.registry,
        ...(ctx.types && { types: ctx.types }),
        handler: ctx.handler,
        retry: ctx.retry,
        logger: ctx.logger,
        signal: AbortSignal.any([ctx.stopping, held.signal]),
        onRetry: (error, attempt, _delayMs, event) => ctx.observer.retrying(topic, error, attempt, event),
      },
    );
  } finally {
    keepAlive.stop();
  }
  if (outcome.kind === 'abandoned') throw lostPartition ?? outcome.error;
  if (outcome.kind === 'dead-letter') {
    await ctx.sendDeadLetter(topic, { key: message.key, value: message.value, headers: { ...headers, ...deadLetterHeaders(outcome.info) } });
  }
  ctx.observer.delivered(topic, outcome, new Date(Number(message.timestamp)));
  const highWatermark = ctx.highWatermarks.get(`${topic}/${partition}`);
  if (highWatermark !== undefined) ctx.observer.lagMessages(topic, partition, Number(highWatermark - BigInt(message.offset) - 1n));
}
