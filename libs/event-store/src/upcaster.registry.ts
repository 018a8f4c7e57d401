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
  /**
   * The new type name when this step renames the type. Declared, not only returned by `upcast`,
   * because subscriptions filter on stored types: the store must know, without reading, which stored
   * types become a handled type. A step returning a type other than this fails with UPCAST_FAILED.
   */
  readonly renamesTo?: string;
  upcast(event: RecordedEvent): Pick<RecordedEvent, 'data'> & Partial<Pick<RecordedEvent, 'type' | 'metadata'>>;
}

export function defineUpcaster<From, To>(
  type: string,
  fromSchemaVersion: number,
  upcast: (data: From, event: RecordedEvent<string, From>) => To,
  options: { readonly renamesTo?: string } = {},
): Upcaster {
  const { renamesTo } = options;
  return {
    type,
    fromSchemaVersion,
    ...(renamesTo === undefined ? {} : { renamesTo }),
    upcast: (event) => ({ data: upcast(event.data as From, event as RecordedEvent<string, From>), ...(renamesTo === undefined ? {} : { type: renamesTo }) }),
  };
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

  /**
   * The stored types to select so that reading yields every event of `types`: the types themselves
   * plus every type that some upcaster chain renames into one of them. A filter on stored types must
   * use this (and drop what upcasts to another type), or a handler for a renamed type never sees the
   * old rows while a checkpoint moves past them.
   */
  storedTypesOf(types: readonly string[]): string[] {
    const wanted = new Set(types);
    const stored = new Set(types);
    for (const step of this.steps.values()) {
      if (stored.has(step.type)) continue;
      if (wanted.has(this.finalType(step.type, step.fromSchemaVersion))) stored.add(step.type);
    }
    return [...stored];
  }

  /** The type an event stored as `type` at `schemaVersion` has after upcasting (the data is not needed: renames are declared). */
  private finalType(type: string, schemaVersion: number): string {
    let current = type;
    for (let version = schemaVersion, guard = 0; guard < 10_000; version++, guard++) {
      const step = this.steps.get(`${version}:${current}`);
      if (!step) return current;
      current = step.renamesTo ?? current;
    }
    throw new EventStoreError(EVENT_STORE_ERROR_CODES.UPCAST_FAILED, `upcaster chain for ${type} does not terminate`);
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
      const declared = step.renamesTo ?? current.type;
      if (next.type !== undefined && next.type !== declared) {
        throw new EventStoreError(
          EVENT_STORE_ERROR_CODES.UPCAST_FAILED,
          `upcaster for ${current.type} v${current.schemaVersion} returned type ${next.type} but declares ${step.renamesTo === undefined ? 'no rename' : `renamesTo ${step.renamesTo}`}; declare renamesTo so that subscriptions select the stored rows`,
          { details: { type: current.type, schemaVersion: current.schemaVersion } },
        );
      }
      current = {
        ...current,
        type: declared,
        data: next.data,
        metadata: next.metadata ?? current.metadata,
        schemaVersion: current.schemaVersion + 1,
      };
    }
    throw new EventStoreError(EVENT_STORE_ERROR_CODES.UPCAST_FAILED, `upcaster chain for ${event.type} does not terminate`);
  }
}
