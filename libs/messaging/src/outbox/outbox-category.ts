import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';
import { INTEGRATION_CATEGORY } from '../postgres/integration-event.codec';

/**
 * An outbox category: `outbox-<name>-`, the name a lowercase letter followed by lowercase letters,
 * digits or `_` (no `-`). The event store reads a category as a plain stream-id prefix, so the name
 * may not contain the delimiter: then no outbox category is a prefix of another (`outbox-ingestion-eu-`
 * is refused, as `outbox-ingestion-` would also read its streams) and a relay forwards the outbox of
 * its own service only.
 */
export const OUTBOX_CATEGORY_PATTERN = /^outbox-[a-z][a-z0-9_]*-$/;

/** The outbox category of a service or module: `outboxCategory('ingestion')` → `outbox-ingestion-`. */
export function outboxCategory(name: string): string {
  const category = `outbox-${name}-`;
  assertOutboxCategory(category, 'name');
  return category;
}

/** Why `category` is not an outbox category, or undefined when it is one. */
export function outboxCategoryProblem(category: unknown): string | undefined {
  if (typeof category !== 'string' || category.length === 0) return 'is required: the outbox category of this service, e.g. outbox-ingestion-';
  if (OUTBOX_CATEGORY_PATTERN.test(category)) return undefined;
  return `${JSON.stringify(category)} is not an outbox category: it must match ${OUTBOX_CATEGORY_PATTERN.source} (outbox-<name>-, the name without "-"), so that it is no prefix of another service's outbox category`;
}

/** Throws `MESSAGING.INVALID_CONFIG` naming `field` unless `category` is an outbox category. */
export function assertOutboxCategory(category: unknown, field = 'category'): asserts category is string {
  const problem = outboxCategoryProblem(category);
  if (problem) throw new MessagingError(MESSAGING_ERROR_CODES.INVALID_CONFIG, `${field} ${problem}`, { details: { field, value: category } });
}

/**
 * Categories a `TransactionalOutbox` may write to: an outbox category (drained by an `OutboxRelay`)
 * or `INTEGRATION_CATEGORY`, the PostgreSQL bus's own log, which its consumers read directly.
 */
export function assertWritableCategory(category: unknown, field = 'category'): asserts category is string {
  if (category === INTEGRATION_CATEGORY) return;
  const problem = outboxCategoryProblem(category);
  if (problem) {
    throw new MessagingError(MESSAGING_ERROR_CODES.INVALID_CONFIG, `${field} ${problem}; or ${JSON.stringify(INTEGRATION_CATEGORY)} to write to the PostgreSQL bus`, {
      details: { field, value: category },
    });
  }
}
