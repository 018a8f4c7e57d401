import type { RecordedEvent } from './event-store.port';
import { EVENT_STORE_ERROR_CODES, EventStoreError } from './event-store.errors';

/**
 * Turns a stored event of `type` at `fromSchemaVersion` into the same event at
 * `fromSchemaVersion + 1`. Pure: no I/O, no clock. It may also rename the type; identity fields
 * (stream, versions, positions, event id, recorded time) are kept by the registry whatever it returns.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(event: RecordedEvent): Pick<RecordedEvent, 'data'> & Partial<Pick<RecordedEvent, 'type' | 'metadata'>>;
}

export function defineUpcaster<From, To>(
  type: string,
  fromSchemaVersion: number,
  upcast: (data: From, event: RecordedEvent<string, From>) => To,
): Upcaster {
  return { type, fromSchemaVersion, upcast: (event) => ({ data: upcast(event.data as From, event as RecordedEvent<string, From>) }) };
}

/** Upcasters keyed by (type, schema version), applied while reading until no further step exists. */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) this.register(u);
  }

  register(upcaster: Upcaster): this {
    if (!Number.isSafeInteger(upcaster.fromSchemaVersion) || upcaster.fromSchemaVersion < 1) {
      throw new EventStoreError(EVENT_STORE_ERROR_CODES.UPCAST_FAILED, `upcaster for ${upcaster.type}: fromSchemaVersion must be an integer >= 1`);
    }
    const key = `${upcaster.fromSchemaVersion}:${upcaster.type}`;
    if (this.steps.has(key)) {
      throw new EventStoreError(EVENT_STORE_ERROR_CODES.UPCAST_FAILED, `two upcasters for ${upcaster.type} v${upcaster.fromSchemaVersion}`);
    }
    this.steps.set(key, upcaster);
    return this;
  }

  get size(): number {
    return this.steps.size;
  }

  upcast(event: RecordedEvent): RecordedEvent {
    if (this.steps.size === 0) return event;
    let current = event;
    for (let guard = 0; guard < 10_000; guard++) {
      const step = this.steps.get(`${current.schemaVersion}:${current.type}`);
      if (!step) return current;
      let next: ReturnType<Upcaster['upcast']>;
      try {
        next = step.upcast(current);
      } catch (error) {
        throw new EventStoreError(
          EVENT_STORE_ERROR_CODES.UPCAST_FAILED,
          `upcasting ${current.type} v${current.schemaVersion} (event ${current.eventId} at global position ${current.globalPosition}) failed: ${(error as Error).message}`,
          { cause: error, details: { eventId: current.eventId, type: current.type, schemaVersion: current.schemaVersion } },
        );
      }
      current = {
        ...current,
        type: next.type ?? current.type,
        data: next.data,
        metadata: next.metadata ?? current.metadata,
        schemaVersion: current.schemaVersion + 1,
      };
    }
    throw new EventStoreError(EVENT_STORE_ERROR_CODES.UPCAST_FAILED, `upcaster chain for ${event.type} does not terminate`);
  }
}
