import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CONTRACT_ERROR_CODES, ContractError } from './contract.error';
import { envelopeSchema, type IntegrationEvent } from './envelope';
import { toFieldIssues } from './zod-issues';

/** A superseded schema version of an event type and the pure function lifting it one version up. */
export interface PreviousVersion {
  readonly schema: z.ZodType;
  /** Converts valid data of this version into data of the next version. */
  readonly upcast: (data: never) => unknown;
}

/**
 * An integration event type: name, topic, the schema of its current version and, oldest first, the
 * versions it replaced. Versions are numbered 1…n; the current one is `previousVersions.length + 1`.
 */
export interface EventContract<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly topic: string;
  readonly description: string;
  readonly schemaVersion: number;
  readonly schema: z.ZodType<Data>;
  readonly previousVersions: readonly PreviousVersion[];
}

export function defineEvent<const Type extends string, Schema extends z.ZodType>(definition: {
  type: Type;
  topic: string;
  description: string;
  schema: Schema;
  previousVersions?: readonly PreviousVersion[];
}): EventContract<Type, z.output<Schema>> {
  const previousVersions = definition.previousVersions ?? [];
  return {
    type: definition.type,
    topic: definition.topic,
    description: definition.description,
    schema: definition.schema as z.ZodType<z.output<Schema>>,
    previousVersions,
    schemaVersion: previousVersions.length + 1,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContract = EventContract<string, any>;
export type ContractData<C, T extends string> = C extends EventContract<T, infer D> ? D : never;
/** The union of typed envelopes of a registry's contracts. */
export type EventOf<C extends AnyContract> = C extends EventContract<infer T, infer D> ? IntegrationEvent<T, D> : never;

export interface EventMeta {
  readonly source: string;
  readonly subject: string;
  readonly eventId?: string;
  readonly occurredAt?: Date | string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * All integration event types known to a build. Producers `create`/`validate` (rejecting invalid
 * events before they leave the process); consumers `parse` (validating and upcasting to the current
 * version, so handlers only ever see the current shape).
 */
export class ContractRegistry<C extends AnyContract = AnyContract> {
  private readonly byType = new Map<string, C>();

  constructor(contracts: readonly C[]) {
    for (const contract of contracts) {
      if (this.byType.has(contract.type)) {
        throw new ContractError(CONTRACT_ERROR_CODES.INVALID_REGISTRY, `event type ${contract.type} is declared twice`);
      }
      this.byType.set(contract.type, contract);
    }
  }

  /** A registry with more contracts (another service's private events, a test's). */
  extend<D extends AnyContract>(contracts: readonly D[]): ContractRegistry<C | D> {
    return new ContractRegistry<C | D>([...this.byType.values(), ...contracts]);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  topics(): string[] {
    return [...new Set([...this.byType.values()].map((c) => c.topic))];
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  get(type: string): C {
    const contract = this.byType.get(type);
    if (!contract) {
      throw new ContractError(CONTRACT_ERROR_CODES.UNKNOWN_EVENT_TYPE, `unknown integration event type "${type}"`, [
        { path: 'type', message: `must be one of ${this.types().join(', ')}` },
      ]);
    }
    return contract;
  }

  topicOf(type: string): string {
    return this.get(type).topic;
  }

  typesOfTopic(topic: string): string[] {
    return [...this.byType.values()].filter((c) => c.topic === topic).map((c) => c.type);
  }

  /** Builds a valid envelope of the current schema version; throws CONTRACTS.INVALID_EVENT otherwise. */
  create<T extends C['type']>(type: T, data: ContractData<C, T>, meta: EventMeta): IntegrationEvent<T, ContractData<C, T>> {
    return this.validate(this.envelope(type, data, meta)) as unknown as IntegrationEvent<T, ContractData<C, T>>;
  }

  /**
   * Builds the envelope of the current schema version without validating it, for producers whose
   * events are validated anyway on the way out (TransactionalOutbox.enqueue), so that a large
   * payload is not checked twice.
   */
  envelope<T extends C['type']>(type: T, data: ContractData<C, T>, meta: EventMeta): IntegrationEvent<T, ContractData<C, T>> {
    const occurredAt = meta.occurredAt instanceof Date ? meta.occurredAt.toISOString() : (meta.occurredAt ?? new Date().toISOString());
    const eventId = meta.eventId ?? randomUUID();
    const event = {
      eventId,
      type,
      schemaVersion: this.get(type).schemaVersion,
      source: meta.source,
      subject: meta.subject,
      occurredAt,
      correlationId: meta.correlationId ?? eventId,
      ...(meta.causationId !== undefined && { causationId: meta.causationId }),
      ...(meta.traceparent !== undefined && { traceparent: meta.traceparent }),
      ...(meta.tracestate !== undefined && { tracestate: meta.tracestate }),
      data,
    };
    return event as IntegrationEvent<T, ContractData<C, T>>;
  }

  /**
   * Checks an envelope and its payload against the schema of the version it declares and returns it
   * with the payload as parsed (unknown keys stripped). The producer-side gate.
   */
  validate(candidate: unknown): EventOf<C> {
    const envelope = this.parseEnvelope(candidate);
    const data = this.validateData(envelope.type, envelope.schemaVersion, envelope.data);
    return { ...envelope, data } as EventOf<C>;
  }

  /** Validates an envelope received from the wire and upcasts its payload to the current version. */
  parse(candidate: unknown): EventOf<C> {
    const envelope = this.parseEnvelope(candidate);
    const contract = this.get(envelope.type);
    let data: unknown = this.validateData(envelope.type, envelope.schemaVersion, envelope.data);
    for (let version = envelope.schemaVersion; version < contract.schemaVersion; version++) {
      const step = contract.previousVersions[version - 1]!;
      data = (step.upcast as (d: unknown) => unknown)(data);
    }
    if (envelope.schemaVersion < contract.schemaVersion) {
      data = this.validateData(envelope.type, contract.schemaVersion, data);
    }
    return { ...envelope, schemaVersion: contract.schemaVersion, data } as EventOf<C>;
  }

  /** Validates a payload against one schema version of a type. */
  validateData(type: string, schemaVersion: number, data: unknown): unknown {
    const contract = this.get(type);
    const schema = this.schemaOf(contract, schemaVersion);
    const result = schema.safeParse(data);
    if (!result.success) {
      throw new ContractError(
        CONTRACT_ERROR_CODES.INVALID_EVENT,
        `invalid ${type} v${schemaVersion} integration event`,
        toFieldIssues(result.error, 'data'),
      );
    }
    return result.data;
  }

  private schemaOf(contract: C, schemaVersion: number): z.ZodType {
    if (schemaVersion === contract.schemaVersion) return contract.schema;
    if (Number.isInteger(schemaVersion) && schemaVersion > contract.schemaVersion) {
      throw new ContractError(
        CONTRACT_ERROR_CODES.SCHEMA_VERSION_AHEAD,
        `${contract.type} v${schemaVersion} is newer than this build knows (1…${contract.schemaVersion}); deploy the consumer's new version`,
        [{ path: 'schemaVersion', message: `this build reads up to ${contract.schemaVersion}` }],
      );
    }
    const previous = contract.previousVersions[schemaVersion - 1];
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || !previous) {
      throw new ContractError(
        CONTRACT_ERROR_CODES.UNSUPPORTED_SCHEMA_VERSION,
        `${contract.type} has no schema version ${schemaVersion} (this build knows 1…${contract.schemaVersion})`,
        [{ path: 'schemaVersion', message: `must be between 1 and ${contract.schemaVersion}` }],
      );
    }
    return previous.schema;
  }

  private parseEnvelope(candidate: unknown): IntegrationEvent {
    const result = envelopeSchema.safeParse(candidate);
    if (!result.success) {
      const type = typeof (candidate as { type?: unknown })?.type === 'string' ? (candidate as { type: string }).type : 'integration';
      throw new ContractError(CONTRACT_ERROR_CODES.INVALID_EVENT, `invalid ${type} event envelope`, toFieldIssues(result.error));
    }
    return result.data as IntegrationEvent;
  }
}
