import { integrationEvents, type ContractRegistry, type IntegrationEvent, deadLetterTopic } from '@reflux/contracts';
import { Kafka, type Consumer, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { deadLetterHeaders } from '../dead-letter';
import { deliver } from '../deliver';
import type { BusSubscription, EventBus, RetryPolicy, SubscribeOptions } from '../event-bus.port';
import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';
import { DEFAULT_RETRY_POLICY } from '../retry';
import { withPublisherTraceContext } from '../trace-context';
import { subscriptionTopics } from '../subscription-topics';
import { decodeValue, encodeEvent, headersToStrings } from './kafka-message.codec';
import { kafkaConsumerConfig, kafkaProducerConfig, PRODUCE_ACKS, type KafkaEventBusConfig } from './kafka.config';
import { kafkajsLevel, pinoLogCreator } from './kafkajs-pino.logger';

/**
 * Integration events over Kafka. Publishing: one idempotent producer, acks=all, key = subject.
 * Consuming: one kafkajs consumer per `subscribe` (group = consumer group), handler retried with
 * backoff, poison messages copied to `<topic>.dlq` with `reflux-dlq-*` headers before the offset is
 * committed. Offsets are committed only after the handler (or the dead-letter write) succeeded.
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly registry: ContractRegistry;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly producer: Producer;
  private producerReady?: Promise<void>;
  private readonly consumers = new Set<Consumer>();
  private closed = false;

  constructor(private readonly config: KafkaEventBusConfig) {
    if (config.brokers.length === 0) throw new MessagingError(MESSAGING_ERROR_CODES.INVALID_CONFIG, 'Kafka event bus needs at least one broker address');
    this.logger = config.logger.child({ component: 'kafka-event-bus' });
    this.registry = config.registry ?? integrationEvents;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.kafka = new Kafka({
      ...config.client,
      brokers: [...config.brokers],
      clientId: config.clientId,
      logLevel: kafkajsLevel(config.logger),
      logCreator: pinoLogCreator(this.logger),
    });
    this.producer = this.kafka.producer(kafkaProducerConfig(config));
  }

  async publish(events: IntegrationEvent | readonly IntegrationEvent[]): Promise<void> {
    this.assertOpen();
    const list = (Array.isArray(events) ? events : [events]) as readonly IntegrationEvent[];
    // Validate everything first: one invalid event means nothing of the batch is sent.
    const byTopic = new Map<string, Message[]>();
    for (const candidate of list) {
      const event = this.registry.validate(withPublisherTraceContext(candidate));
      const topic = this.registry.topicOf(event.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push(encodeEvent(event));
      byTopic.set(topic, messages);
    }
    if (byTopic.size === 0) return;
    await this.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    this.assertOpen();
    const topics = subscriptionTopics(options, this.registry);
    const types = options.types ? new Set(options.types) : undefined;
    const retry = { ...this.retry, ...options.retry };
    const logger = this.logger.child({ group: options.group });
    const consumer = this.kafka.consumer(kafkaConsumerConfig(options.group, this.config));
    let stopping = false;
    this.consumers.add(consumer);

    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new MessagingError(MESSAGING_ERROR_CODES.SUBSCRIBE_FAILED, `consumer of group ${options.group} did not join within ${this.config.joinTimeoutMs ?? 60_000} ms`, { retriable: true })),
        this.config.joinTimeoutMs ?? 60_000,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        resolve();
      });
      consumer.on(consumer.events.CRASH, (e) => logger.error({ err: e.payload.error.message, restart: e.payload.restart }, 'Kafka consumer crashed'));
    });

    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: 1,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const headers = headersToStrings(message.headers);
          const outcome = await deliver(
            { envelope: decodeValue(message), topic, position: `${partition}/${message.offset}`, headers },
            { group: options.group, registry: this.registry, ...(types && { types }), handler: options.handler, retry, logger, keepAlive: heartbeat, stopping: () => stopping },
          );
          if (outcome.kind === 'abandoned') throw outcome.error; // not committed: redelivered after restart
          if (outcome.kind === 'dead-letter') {
            await this.send([
              {
                topic: deadLetterTopic(topic),
                messages: [{ key: message.key, value: message.value, headers: { ...headers, ...deadLetterHeaders(outcome.info) } }],
              },
            ]);
          }
        },
      });
      await joined;
    } catch (error) {
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }

    return {
      group: options.group,
      stop: async () => {
        stopping = true;
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((c) => c.disconnect().catch((e: Error) => this.logger.warn({ err: e.message }, 'consumer disconnect failed'))));
    if (this.producerReady) await this.producer.disconnect();
  }

  private async send(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    try {
      this.producerReady ??= this.producer.connect();
      await this.producerReady;
      await this.producer.sendBatch({ topicMessages, acks: PRODUCE_ACKS });
    } catch (error) {
      if (this.producerReady && !(await this.producerReady.then(() => true, () => false))) this.producerReady = undefined;
      const retriable = (error as { retriable?: unknown }).retriable !== false;
      throw new MessagingError(
        MESSAGING_ERROR_CODES.PUBLISH_FAILED,
        `Kafka did not acknowledge ${topicMessages.reduce((n, t) => n + t.messages.length, 0)} message(s) to ${topicMessages.map((t) => t.topic).join(', ')}: ${(error as Error).message}`,
        { retriable, cause: error },
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingError(MESSAGING_ERROR_CODES.BUS_CLOSED, 'the event bus is closed');
  }
}
