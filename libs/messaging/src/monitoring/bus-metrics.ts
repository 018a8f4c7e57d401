import { Counter, Gauge, type Registry } from 'prom-client';

type Labels<T extends string> = T;

function counter<T extends string>(registry: Registry, name: string, help: string, labelNames: readonly Labels<T>[]): Counter<T> {
  return (registry.getSingleMetric(name) as Counter<T> | undefined) ?? new Counter<T>({ name, help, labelNames: [...labelNames], registers: [registry] });
}

function gauge<T extends string>(registry: Registry, name: string, help: string, labelNames: readonly Labels<T>[]): Gauge<T> {
  return (registry.getSingleMetric(name) as Gauge<T> | undefined) ?? new Gauge<T>({ name, help, labelNames: [...labelNames], registers: [registry] });
}

/** Prometheus metrics of bus consumers (both adapters), one set per registry, labelled by group. */
export function consumerMetrics(registry: Registry) {
  return {
    handled: counter(registry, 'reflux_bus_consumer_handled_total', 'Integration events handled by a consumer group', ['group', 'topic']),
    retries: counter(registry, 'reflux_bus_consumer_retries_total', 'Retries of an event a consumer holds (handler failed retriably, or a schema version this build cannot read yet), by error code', ['group', 'topic', 'code']),
    deadLetters: counter(registry, 'reflux_bus_consumer_dead_letters_total', 'Integration events dead-lettered by a consumer group (invalid-event, handler-failed)', ['group', 'topic', 'reason']),
    skipped: counter(registry, 'reflux_bus_consumer_skipped_total', 'Integration events acknowledged without handling (unwanted-type, unknown-type)', ['group', 'topic', 'reason']),
    lastHandled: gauge(registry, 'reflux_bus_consumer_last_handled_timestamp_seconds', 'Unix time at which the consumer group last finished an event (liveness)', ['group']),
    lagSeconds: gauge(registry, 'reflux_bus_consumer_lag_seconds', 'Age of the event the consumer group last finished, from its append or produce time, s', ['group', 'topic']),
    lagMessages: gauge(registry, 'reflux_bus_consumer_lag_messages', 'Kafka: messages behind the partition high watermark', ['group', 'topic', 'partition']),
  };
}

/** Prometheus metrics of outbox relays. */
export function relayMetrics(registry: Registry) {
  return {
    published: counter(registry, 'reflux_outbox_relay_published_total', 'Outbox events the broker acknowledged', ['relay']),
    publishFailures: counter(registry, 'reflux_outbox_relay_publish_failures_total', 'Outbox batches the broker did not acknowledge (retried later), by error code', ['relay', 'code']),
    deadLetters: counter(registry, 'reflux_outbox_relay_dead_letters_total', 'Outboxed events that fail their contract, moved to the dead-letter stream', ['relay']),
    lastPublished: gauge(registry, 'reflux_outbox_relay_last_published_timestamp_seconds', 'Unix time of the last acknowledged batch (liveness)', ['relay']),
    lagSeconds: gauge(registry, 'reflux_outbox_relay_lag_seconds', 'Age of the last event the broker acknowledged, from its commit to the outbox, s', ['relay']),
  };
}
