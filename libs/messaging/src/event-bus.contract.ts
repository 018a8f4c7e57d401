/**
 * The behaviour every `EventBus` adapter must show, as a reusable jest suite:
 * `describeEventBusContract('Kafka', factory)`. Each test gets its own registry with a fresh topic
 * and event type, so adapters can share one broker or database between tests and test files.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { CONTRACT_ERROR_CODES, ContractRegistry, defineEvent, type IntegrationEvent } from '@reflux/contracts';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { DeadLetterInfo } from './dead-letter';
import type { DeliveryContext, EventBus, EventHandler } from './event-bus.port';
import { idempotentHandler } from './idempotency/idempotent-handler';
import { consumerComponentName, type BusMonitoring } from './monitoring/consumer-observer';
import { ComponentHealth } from '@reflux/observability';

export interface EventBusContractHarness {
  readonly bus: EventBus;
  /** A migrated database (`migrateMessaging`) for consumer-side idempotency records. */
  readonly pool: Pool;
  /** Writes an envelope straight to the transport, bypassing producer validation (a foreign or buggy producer). */
  injectRaw(topic: string, subject: string, envelope: unknown): Promise<void>;
  /** Dead letters of `group` for `topic`; waits until at least `atLeast` exist (or a timeout). */
  deadLetters(topic: string, group: string, atLeast: number): Promise<DeadLetterInfo[]>;
  close(): Promise<void>;
}

/** `monitoring`: the health (and settings) the bus's consumers must report to. */
export type EventBusContractFactory = (registry: ContractRegistry, monitoring: BusMonitoring) => Promise<EventBusContractHarness>;

const FAST_RETRY = { initialDelayMs: 20, maxDelayMs: 100, multiplier: 2, jitter: 0.2 };
/** Longer than the whole retry budget (5 tries from 100 ms, about 1.5 s) after which events used to be dead-lettered. */
const LONGER_THAN_OLD_BUDGET_MS = 2_500;

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function testContract() {
  const nonce = randomUUID().slice(0, 8);
  const contract = defineEvent({
    type: `FlowSampled_${nonce}`,
    topic: `test.bus.${nonce}`,
    description: 'test event of the bus contract suite',
    schema: z.object({ tagId: z.string().min(1), massFlowKgPerS: z.number(), seq: z.number().int().nonnegative() }),
  });
  return { contract, registry: new ContractRegistry([contract]) };
}

export function describeEventBusContract(name: string, factory: EventBusContractFactory): void {
  describe(`${name} event bus contract`, () => {
    let harness: EventBusContractHarness | undefined;
    let registry: ContractRegistry;
    let type: string;
    let topic: string;
    let health: ComponentHealth;
    const contextManager = new AsyncLocalStorageContextManager();

    beforeAll(() => {
      context.setGlobalContextManager(contextManager.enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      context.disable();
      propagation.disable();
    });

    beforeEach(async () => {
      const t = testContract();
      registry = t.registry;
      type = t.contract.type;
      topic = t.contract.topic;
      health = new ComponentHealth();
      harness = await factory(registry, { health, failAfterDeadLetters: 3 });
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const h = () => harness!;
    const sample = (subject: string, seq: number, extra: Partial<{ eventId: string }> = {}) =>
      registry.create(type, { tagId: `FI-${subject}`, massFlowKgPerS: 12.5 + seq, seq }, { source: 'contract-test', subject, ...extra });
    const collect = () => {
      const events: IntegrationEvent[] = [];
      const deliveries: DeliveryContext[] = [];
      const handler: EventHandler = async (event, delivery) => {
        events.push(event);
        deliveries.push(delivery);
      };
      return { events, deliveries, handler };
    };

    it('delivers a published event to a subscriber, unchanged', async () => {
      const sink = collect();
      await h().bus.subscribe({ group: `g-${randomUUID()}`, types: [type], handler: sink.handler, retry: FAST_RETRY });
      const event = sample('plant-1', 1);
      await h().bus.publish(event);
      await waitFor(() => sink.events.length >= 1, 'the event');
      expect(sink.events[0]).toEqual(event);
      expect(sink.deliveries[0]).toMatchObject({ topic, attempt: 1 });
    });

    it('keeps the order of events with the same subject', async () => {
      const sink = collect();
      await h().bus.subscribe({ group: `g-${randomUUID()}`, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      const subjects = ['reactor-a', 'reactor-b', 'reactor-c'];
      for (let seq = 0; seq < 8; seq++) await h().bus.publish(subjects.map((s) => sample(s, seq)));
      await h().bus.publish(subjects.flatMap((s) => [8, 9].map((seq) => sample(s, seq))));
      await waitFor(() => sink.events.length >= 30, '30 events');
      for (const subject of subjects) {
        const seqs = sink.events.filter((e) => e.subject === subject).map((e) => (e.data as { seq: number }).seq);
        expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
    });

    it('shares events between consumers of one group and gives every group all events', async () => {
      const group = `shared-${randomUUID()}`;
      const first = collect();
      const second = collect();
      const other = collect();
      await h().bus.subscribe({ group, topics: [topic], handler: first.handler, retry: FAST_RETRY });
      await h().bus.subscribe({ group, topics: [topic], handler: second.handler, retry: FAST_RETRY });
      await h().bus.subscribe({ group: `other-${randomUUID()}`, topics: [topic], handler: other.handler, retry: FAST_RETRY });
      const published = Array.from({ length: 24 }, (_, i) => sample(`unit-${i}`, i));
      await h().bus.publish(published);
      await waitFor(() => other.events.length >= 24 && first.events.length + second.events.length >= 24, 'both groups to receive all events');
      await new Promise((r) => setTimeout(r, 500)); // room for a wrongful duplicate to show up
      const ids = (events: IntegrationEvent[]) => events.map((e) => e.eventId);
      const all = published.map((e) => e.eventId).sort();
      expect(ids(other.events).sort()).toEqual(all);
      expect([...ids(first.events), ...ids(second.events)].sort()).toEqual(all);
      expect(ids(first.events).filter((id) => ids(second.events).includes(id))).toEqual([]);
    });

    it('retries a failing handler with backoff and delivers the event again', async () => {
      const attempts: number[] = [];
      const handled: IntegrationEvent[] = [];
      await h().bus.subscribe({
        group: `g-${randomUUID()}`,
        topics: [topic],
        retry: FAST_RETRY,
        handler: async (event, delivery) => {
          attempts.push(delivery.attempt);
          if (delivery.attempt < 2) throw new Error('historian connection reset');
          handled.push(event);
        },
      });
      const event = sample('plant-1', 1);
      await h().bus.publish(event);
      await waitFor(() => handled.length >= 1, 'the retried event');
      expect(attempts).toEqual([1, 2]);
      expect(handled[0]!.eventId).toEqual(event.eventId);
    });

    it('redelivers to the next consumer of the group an event whose handler never succeeded before a stop', async () => {
      const group = `g-${randomUUID()}`;
      let failures = 0;
      const first = await h().bus.subscribe({
        group,
        topics: [topic],
        retry: { initialDelayMs: 20, maxDelayMs: 50 },
        handler: async () => {
          failures++;
          throw new Error('downstream unavailable');
        },
      });
      const event = sample('plant-1', 1);
      await h().bus.publish(event);
      await waitFor(() => failures >= 2, 'the first consumer to fail twice');
      await first.stop();
      const sink = collect();
      await h().bus.subscribe({ group, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      await waitFor(() => sink.events.length >= 1, 'the redelivery');
      expect(sink.events[0]!.eventId).toEqual(event.eventId);
      expect(await h().deadLetters(topic, group, 0)).toEqual([]);
    });

    it('holds an event whose handler fails retriably for longer than the old retry budget, keeping its subject in order, and dead-letters nothing', async () => {
      const group = `g-${randomUUID()}`;
      const handled: string[] = [];
      let failingSince: number | undefined;
      let healthWhileHeld: string | undefined;
      await h().bus.subscribe({
        group,
        topics: [topic],
        retry: FAST_RETRY,
        handler: async (event) => {
          const { seq } = event.data as { seq: number };
          if (event.subject === 'unit-held' && seq === 1) {
            failingSince ??= Date.now();
            if (Date.now() - failingSince < LONGER_THAN_OLD_BUDGET_MS) {
              if (Date.now() - failingSince > 1_000) healthWhileHeld = health.get(consumerComponentName(group))?.state;
              throw Object.assign(new Error('could not connect to PostgreSQL (failover in progress)'), { code: 'ECONNREFUSED' });
            }
          }
          handled.push(`${event.subject}:${seq}`);
        },
      });
      await h().bus.publish([sample('unit-held', 1), sample('unit-held', 2), sample('unit-held', 3)]);
      await waitFor(() => handled.includes('unit-held:3'), 'the held subject to go through', 30_000);
      expect(Date.now() - failingSince!).toBeGreaterThanOrEqual(LONGER_THAN_OLD_BUDGET_MS);
      expect(handled.filter((x) => x.startsWith('unit-held'))).toEqual(['unit-held:1', 'unit-held:2', 'unit-held:3']);
      expect(healthWhileHeld).toBe('degraded');
      expect(health.get(consumerComponentName(group))?.state).toBe('running');
      expect(await h().deadLetters(topic, group, 0)).toEqual([]);
    });

    it('dead-letters at once an event whose handler fails for good, with the failure described, and moves on to the next of its subject', async () => {
      const group = `g-${randomUUID()}`;
      const poison = sample('plant-1', 1);
      const next = sample('plant-1', 2);
      const handled: string[] = [];
      let poisonAttempts = 0;
      await h().bus.subscribe({
        group,
        topics: [topic],
        retry: FAST_RETRY,
        handler: async (event) => {
          if (event.eventId === poison.eventId) {
            poisonAttempts++;
            throw Object.assign(new Error('unit V-100 is not in plant model v3'), { code: 'BALANCE.UNKNOWN_UNIT', retriable: false });
          }
          handled.push(event.eventId);
        },
      });
      await h().bus.publish([poison, next]);
      await waitFor(() => handled.includes(next.eventId), 'the event after the poison one');
      expect(poisonAttempts).toBe(1);
      const [letter, ...more] = await h().deadLetters(topic, group, 1);
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        group,
        topic,
        eventId: poison.eventId,
        eventType: type,
        reason: 'handler-failed',
        errorCode: 'BALANCE.UNKNOWN_UNIT',
        errorMessage: 'unit V-100 is not in plant model v3',
        attempts: 1,
      });
    });

    it('reports the consumer failed once its handler dead-letters events in a row, and running again when one goes through', async () => {
      const group = `g-${randomUUID()}`;
      const handled: number[] = [];
      await h().bus.subscribe({
        group,
        topics: [topic],
        retry: FAST_RETRY,
        handler: async (event) => {
          const { seq } = event.data as { seq: number };
          if (seq < 3) throw Object.assign(new TypeError("Cannot read properties of undefined (reading 'units')"), { retriable: false });
          handled.push(seq);
        },
      });
      const name = consumerComponentName(group);
      expect(health.get(name)?.state).toBe('running');
      await h().bus.publish([0, 1, 2].map((seq) => sample('plant-1', seq)));
      await waitFor(() => health.get(name)?.state === 'failed', 'the consumer to report failed');
      expect(health.healthy()).toBe(false);
      expect(health.get(name)?.detail).toMatch(/last 3 events were dead-lettered/);
      await h().bus.publish(sample('plant-1', 3));
      await waitFor(() => handled.includes(3), 'the good event');
      await waitFor(() => health.healthy(), 'health back');
      expect(health.get(name)?.state).toBe('running');
    });

    it('skips an event type this build does not know on a subscribed topic, as both buses do, instead of dead-lettering it', async () => {
      const group = `g-${randomUUID()}`;
      const sink = collect();
      await h().bus.subscribe({ group, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      const unknown = { ...sample('plant-1', 0), type: `ValveStrokeTested_${randomUUID().slice(0, 8)}`, data: { valve: 'XV-1' } };
      await h().injectRaw(topic, 'plant-1', unknown);
      const valid = sample('plant-1', 1);
      await h().bus.publish(valid);
      await waitFor(() => sink.events.length >= 1, 'the valid event');
      expect(sink.events.map((e) => e.eventId)).toEqual([valid.eventId]);
      expect(await h().deadLetters(topic, group, 0)).toEqual([]);
    });

    it('holds an event of a newer schema version than it reads, with later events of its subject, and reports it instead of dead-lettering', async () => {
      const group = `g-${randomUUID()}`;
      const sink = collect();
      const subscription = await h().bus.subscribe({ group, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      const before = sample('plant-1', 0);
      await h().bus.publish(before);
      await waitFor(() => sink.events.length >= 1, 'the event before');
      const newer = { ...sample('plant-1', 1), schemaVersion: 2, data: { tagId: 'FI-1', massFlow: { value: 12.5, unit: 'kg/s' }, seq: 1 } };
      await h().injectRaw(topic, 'plant-1', newer);
      const after = sample('plant-1', 2);
      await h().bus.publish(after);
      const name = consumerComponentName(group);
      await waitFor(() => health.get(name)?.state === 'degraded', 'the consumer to report the held event');
      expect(health.get(name)?.detail).toMatch(/CONTRACTS\.SCHEMA_VERSION_AHEAD/);
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.events.map((e) => e.eventId)).toEqual([before.eventId]);
      await subscription.stop();
      expect(await h().deadLetters(topic, group, 0)).toEqual([]);
    });

    it('dead-letters a message that fails its contract without calling the handler', async () => {
      const group = `g-${randomUUID()}`;
      const sink = collect();
      await h().bus.subscribe({ group, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      const valid = sample('plant-1', 1);
      const invalid = { ...sample('plant-1', 0), data: { tagId: '', massFlowKgPerS: 'lots', seq: -1 } };
      await h().injectRaw(topic, 'plant-1', invalid);
      await h().bus.publish(valid);
      await waitFor(() => sink.events.length >= 1, 'the valid event');
      expect(sink.events.map((e) => e.eventId)).toEqual([valid.eventId]);
      const [letter] = await h().deadLetters(topic, group, 1);
      expect(letter).toMatchObject({ group, eventId: invalid.eventId, reason: 'invalid-event', errorCode: CONTRACT_ERROR_CODES.INVALID_EVENT, attempts: 0 });
      expect(letter!.errorMessage).toMatch(/data\.tagId/);
      expect(letter!.errorMessage).toMatch(/data\.massFlowKgPerS/);
      expect(letter!.errorMessage).toMatch(/data\.seq/);
    });

    it('rejects an invalid event at the producer and sends nothing of its batch', async () => {
      const sink = collect();
      await h().bus.subscribe({ group: `g-${randomUUID()}`, topics: [topic], handler: sink.handler, retry: FAST_RETRY });
      const valid = sample('plant-1', 1);
      const invalid = { ...sample('plant-1', 2), data: { tagId: 'FI-1', massFlowKgPerS: Number.POSITIVE_INFINITY, seq: 2 } };
      const error = await h().bus.publish([valid, invalid]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: CONTRACT_ERROR_CODES.INVALID_EVENT, retriable: false, issues: [expect.objectContaining({ path: 'data.massFlowKgPerS' })] });
      const marker = sample('plant-1', 3);
      await h().bus.publish(marker);
      await waitFor(() => sink.events.length >= 1, 'the marker event');
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.events.map((e) => e.eventId)).toEqual([marker.eventId]);
    });

    it('carries the W3C trace context of the publisher to the handler', async () => {
      const seen: { fromActive?: string; fromDelivery?: string; traceparent?: string }[] = [];
      await h().bus.subscribe({
        group: `g-${randomUUID()}`,
        topics: [topic],
        retry: FAST_RETRY,
        handler: async (event, delivery) => {
          seen.push({
            fromActive: trace.getSpanContext(context.active())?.traceId,
            fromDelivery: trace.getSpanContext(delivery.traceContext)?.traceId,
            ...(event.traceparent && { traceparent: event.traceparent }),
          });
        },
      });
      const traceId = randomUUID().replace(/-/g, '');
      const spanId = randomUUID().replace(/-/g, '').slice(0, 16);
      const publisherContext = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: false });
      await context.with(publisherContext, () => h().bus.publish(sample('plant-1', 1)));
      await waitFor(() => seen.length >= 1, 'the traced event');
      expect(seen[0]).toEqual({ fromActive: traceId, fromDelivery: traceId, traceparent: `00-${traceId}-${spanId}-01` });
    });

    it('lets an idempotent consumer apply an event once however often it is published', async () => {
      const group = `g-${randomUUID()}`;
      const applied: string[] = [];
      const handler = idempotentHandler(h().pool, async (event, delivery) => {
        await delivery.transaction.query('SELECT 1');
        applied.push(event.eventId);
      });
      await h().bus.subscribe({ group, topics: [topic], handler, retry: FAST_RETRY });
      const event = sample('plant-1', 1);
      await h().bus.publish(event);
      await h().bus.publish(event); // a producer retry after an unknown outcome
      const marker = sample('plant-1', 2);
      await h().bus.publish(marker);
      await waitFor(() => applied.includes(marker.eventId), 'the marker event');
      expect(applied).toEqual([event.eventId, marker.eventId]);
      // The handler has run; its transaction (with the processed-event record) commits just after.
      const processed = async () => {
        const { rows } = await h().pool.query('SELECT event_id FROM messaging_processed_events WHERE consumer_group = $1 ORDER BY processed_at', [group]);
        return rows.map((r: { event_id: string }) => r.event_id);
      };
      await waitFor(async () => (await processed()).length >= 2, 'the processed-event records');
      expect(await processed()).toEqual([event.eventId, marker.eventId]);
    });
  });
}
