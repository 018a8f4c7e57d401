import { randomUUID } from 'node:crypto';
import type { ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions } from './event-store.port';
import { InvalidArgumentError, type FieldIssue } from './event-store.errors';

const MAX_ID_LENGTH = 500;
const MAX_TYPE_LENGTH = 200;

/** An event ready for the INSERT: ids assigned, JSON serialised. */
export interface PreparedEvent {
  readonly eventId: string;
  readonly clientSuppliedId: boolean;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
}

export function validateStreamId(streamId: unknown, path = 'streamId'): FieldIssue[] {
  if (typeof streamId !== 'string' || streamId.length === 0) return [{ path, message: 'must be a non-empty string' }];
  if (streamId.length > MAX_ID_LENGTH) return [{ path, message: `must be at most ${MAX_ID_LENGTH} characters` }];
  if (streamId.includes('\u0000')) return [{ path, message: 'must not contain NUL characters' }];
  return [];
}

export function validateExpectedVersion(expected: unknown, path = 'options.expectedVersion'): FieldIssue[] {
  if (expected === undefined || expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return [];
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= -1) return [];
  return [{ path, message: "must be an integer >= -1, 'any', 'no_stream' or 'stream_exists'" }];
}

/** Validates and serialises a batch; throws `InvalidArgumentError` naming every bad field. */
export function prepareAppend(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion | undefined): PreparedEvent[] {
  const issues: FieldIssue[] = [...validateStreamId(streamId), ...validateExpectedVersion(expectedVersion)];
  if (!Array.isArray(events) || events.length === 0) {
    issues.push({ path: 'events', message: 'must be a non-empty array' });
    throw new InvalidArgumentError(issues);
  }
  const prepared: PreparedEvent[] = [];
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const at = `events[${index}]`;
    if (typeof event !== 'object' || event === null) {
      issues.push({ path: at, message: 'must be an object' });
      return;
    }
    const before = issues.length;
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_TYPE_LENGTH) {
      issues.push({ path: `${at}.type`, message: `must be a non-empty string of at most ${MAX_TYPE_LENGTH} characters` });
    }
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > 2_147_483_647) {
      issues.push({ path: `${at}.schemaVersion`, message: 'must be an integer >= 1' });
    }
    if (event.eventId !== undefined) {
      if (typeof event.eventId !== 'string' || event.eventId.length === 0 || event.eventId.length > MAX_ID_LENGTH) {
        issues.push({ path: `${at}.eventId`, message: `must be a non-empty string of at most ${MAX_ID_LENGTH} characters` });
      } else if (seen.has(event.eventId)) {
        issues.push({ path: `${at}.eventId`, message: `duplicates an earlier event id of the same batch (${event.eventId})` });
      } else {
        seen.add(event.eventId);
      }
    }
    const dataJson = toJson(event.data, `${at}.data`, issues);
    const metadata = event.metadata ?? {};
    let metadataJson: string | undefined;
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      issues.push({ path: `${at}.metadata`, message: 'must be an object' });
    } else {
      metadataJson = toJson(metadata, `${at}.metadata`, issues);
    }
    if (issues.length > before || dataJson === undefined || metadataJson === undefined) return;
    prepared.push({
      eventId: event.eventId ?? randomUUID(),
      clientSuppliedId: event.eventId !== undefined,
      type: event.type,
      schemaVersion,
      dataJson,
      metadataJson,
    });
  });
  if (issues.length > 0) throw new InvalidArgumentError(issues);
  return prepared;
}

function toJson(value: unknown, path: string, issues: FieldIssue[]): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    issues.push({ path, message: `is not JSON-serialisable (${(error as Error).message})` });
    return undefined;
  }
  if (json === undefined) {
    issues.push({ path, message: 'is not JSON-serialisable (undefined, a function or a symbol)' });
    return undefined;
  }
  // PostgreSQL's jsonb cannot hold U+0000.
  if (json.includes('\\u0000')) {
    issues.push({ path, message: 'must not contain NUL characters (U+0000)' });
    return undefined;
  }
  return json;
}

export function validateReadStream(streamId: string, options: ReadStreamOptions): void {
  const issues = validateStreamId(streamId);
  if (options.direction !== undefined && options.direction !== 'forwards' && options.direction !== 'backwards') {
    issues.push({ path: 'options.direction', message: "must be 'forwards' or 'backwards'" });
  }
  if (options.fromVersion !== undefined && (!Number.isSafeInteger(options.fromVersion) || options.fromVersion < 0)) {
    issues.push({ path: 'options.fromVersion', message: 'must be an integer >= 0' });
  }
  pushMaxCount(options.maxCount, issues);
  if (issues.length > 0) throw new InvalidArgumentError(issues);
}

export function validateReadAll(options: ReadAllOptions): void {
  const issues: FieldIssue[] = [];
  if (options.after !== undefined && (!Number.isSafeInteger(options.after) || options.after < 0)) {
    issues.push({ path: 'options.after', message: 'must be an integer >= 0' });
  }
  pushMaxCount(options.maxCount, issues);
  issues.push(...validateFilter(options.category, options.eventTypes, 'options'));
  if (issues.length > 0) throw new InvalidArgumentError(issues);
}

export function validateFilter(category: unknown, eventTypes: unknown, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (category !== undefined && (typeof category !== 'string' || category.length === 0)) {
    issues.push({ path: `${at}.category`, message: 'must be a non-empty stream-id prefix' });
  }
  if (eventTypes !== undefined && (!Array.isArray(eventTypes) || eventTypes.some((t) => typeof t !== 'string' || t.length === 0))) {
    issues.push({ path: `${at}.eventTypes`, message: 'must be an array of non-empty strings' });
  }
  return issues;
}

function pushMaxCount(maxCount: unknown, issues: FieldIssue[]): void {
  if (maxCount !== undefined && (typeof maxCount !== 'number' || !Number.isSafeInteger(maxCount) || maxCount < 1)) {
    issues.push({ path: 'options.maxCount', message: 'must be an integer >= 1' });
  }
}

/** LIKE pattern matching every stream id that starts with `prefix`. */
export function categoryPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
