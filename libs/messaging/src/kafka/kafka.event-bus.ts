import { integrationEvents, type ContractRegistry, type IntegrationEvent, deadLetterTopic } from '@reflux/contracts';
import { Kafka, type Consumer, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { BusSubscription, EventBus, RetryPolicy, SubscribeOptions } from '../event-bus.port';
import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';
import { DEFAULT_RETRY_POLICY } from '../retry';
import { withPublisherTraceContext } from '../trace-context';
import { ConsumerObserver } from '../monitoring/consumer-observer';
import { subscriptionTopics } from '../subscription-topics';
import { encodeEvent } from './kafka-message.codec';
import { handleKafkaMessage } from './kafka-message.handler';
import { TopicAdmin } from './kafka-topics';
import { DEFAULT_PUBLISH_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, kafkaConsumerConfig, kafkaProducerConfig, PRODUCE_ACKS, type KafkaEventBusConfig } from './kafka.config';
import { kafkajsLevel, pinoLogCreator } from './kafkajs-pino.logger';

/**
 * Integration events over Kafka. Publishing: one idempotent producer, acks=all, key = subject, each
 * publish bounded by `publishTimeoutMs`. Topics are created through the admin client before use.
 * Consuming: one kafkajs consumer per `subscribe` (group = consumer group); a message is held while
 * its handler runs and retries (heartbeating meanwhile), messages that can never succeed are copied
 * to `<topic>.dlq` with `reflux-dlq-*` headers. Offsets are committed only after the handler (or
 * the dead-letter write) succeeded.
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly registry: ContractRegistry;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly producer: Producer;
  private producerReady?: Promise<void>;
  private readonly consumers = new Map<Consumer, AbortController>();
  private readonly topicAdmin: TopicAdmin;
  /** Rejecters of publishes in flight: `close` fails them at once instead of waiting out an outage. */
  private readonly inFlight = new Set<(error: Error) => void>();
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
      requestTimeout: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      logLevel: kafkajsLevel(config.logger),
      logCreator: pinoLogCreator(this.logger),
    });
    this.producer = this.kafka.producer(kafkaProducerConfig(config));
    this.topicAdmin = new TopicAdmin(this.kafka, config.topics, this.logger);
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
    const stopping = new AbortController();
    const observer = new ConsumerObserver(options.group, this.config.monitoring ?? {});
    const highWatermarks = new Map<string, bigint>();
    this.consumers.set(consumer, stopping);

    const joinTimeoutMs = this.config.joinTimeoutMs ?? 60_000;
    let joinTimer: NodeJS.Timeout | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      joinTimer = setTimeout(
        () => reject(new MessagingError(MESSAGING_ERROR_CODES.SUBSCRIBE_FAILED, `consumer of group ${options.group} did not join within ${joinTimeoutMs} ms`, { retriable: true })),
        joinTimeoutMs,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(joinTimer);
        observer.running();
        resolve();
      });
    });
    joined.catch(() => undefined);
    consumer.on(consumer.events.CRASH, (e) => {
      logger.error({ err: e.payload.error.message, restart: e.payload.restart }, 'Kafka consumer crashed');
      if (!stopping.signal.aborted) observer.crashed(e.payload.error, e.payload.restart);
    });
    consumer.on(consumer.events.START_BATCH_PROCESS, (e) => highWatermarks.set(`${e.payload.topic}/${e.payload.partition}`, BigInt(e.payload.highWatermark)));

    try {
      await this.topicAdmin.ensure([...topics, ...topics.map(deadLetterTopic)]);
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: 1,
        eachMessage: (payload) =>
          handleKafkaMessage(payload, {
            group: options.group,
            registry: this.registry,
            ...(types && { types }),
            handler: options.handler,
            retry,
            logger,
            stopping: stopping.signal,
            observer,
            heartbeatIntervalMs: this.config.heartbeatIntervalMs ?? 3_000,
            highWatermarks,
            sendDeadLetter: (topic, message) => this.send([{ topic: deadLetterTopic(topic), messages: [message] }]),
          }),
      });
      await joined;
    } catch (error) {
      clearTimeout(joinTimer);
      stopping.abort();
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      observer.stopped();
      throw error;
    }

    return {
      group: options.group,
      stop: async () => {
        stopping.abort();
        this.consumers.delete(consumer);
        await consumer.disconnect();
        observer.stopped();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new MessagingError(MESSAGING_ERROR_CODES.BUS_CLOSED, 'the event bus closed before the broker acknowledged', { retriable: true });
    for (const reject of this.inFlight) reject(closing);
    this.inFlight.clear();
    const consumers = [...this.consumers];
    this.consumers.clear();
    for (const [, stopping] of consumers) stopping.abort();
    await Promise.all(consumers.map(([c]) => c.disconnect().catch((e: Error) => this.logger.warn({ err: e.message }, 'consumer disconnect failed'))));
    await this.topicAdmin.close().catch((e: Error) => this.logger.warn({ err: e.message }, 'admin disconnect failed'));
    if (this.producerReady) await this.producer.disconnect();
  }

  private async send(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    const timeoutMs = this.config.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let rejectEarly: ((error: Error) => void) | undefined;
    try {
      const attempt = (async () => {
        await this.topicAdmin.ensure(topicMessages.map((t) => t.topic));
        this.producerReady ??= this.producer.connect();
        await this.producerReady;
        await this.producer.sendBatch({ topicMessages, acks: PRODUCE_ACKS, timeout: this.config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS });
      })();
      attempt.catch(() => undefined); // may settle after the deadline
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no acknowledgement within ${timeoutMs} ms`), { retriable: true })), timeoutMs);
        rejectEarly = reject;
        this.inFlight.add(reject);
      });
      await Promise.race([attempt, deadline]);
    } catch (error) {
      if (this.producerReady && !(await this.producerReady.then(() => true, () => false))) this.producerReady = undefined;
      const retriable = (error as { retriable?: unknown }).retriable !== false;
      throw new MessagingError(
        MESSAGING_ERROR_CODES.PUBLISH_FAILED,
        `Kafka did not acknowledge ${topicMessages.reduce((n, t) => n + t.messages.length, 0)} message(s) to ${topicMessages.map((t) => t.topic).join(', ')}: ${(error as Error).message}`,
        { retriable, cause: error },
      );
    } finally {
      clearTimeout(timer);
      if (rejectEarly) this.inFlight.delete(rejectEarly);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingError(MESSAGING_ERROR_CODES.BUS_CLOSED, 'the event bus is closed');
  }
}
