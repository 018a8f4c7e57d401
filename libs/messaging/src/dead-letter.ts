/** Why a message was taken out of the stream. */
export type DeadLetterReason = 'invalid-event' | 'handler-failed';

/** What a consumer records with a dead-lettered message, so an operator can inspect and replay it. */
export interface DeadLetterInfo {
  readonly group: string;
  readonly topic: string;
  /** Kafka `partition/offset` or PostgreSQL global position of the original message. */
  readonly position: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly reason: DeadLetterReason;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly failedAt: string;
}

export const DEAD_LETTER_HEADERS = {
  group: 'reflux-dlq-group',
  topic: 'reflux-dlq-original-topic',
  position: 'reflux-dlq-original-position',
  eventId: 'reflux-dlq-event-id',
  eventType: 'reflux-dlq-event-type',
  reason: 'reflux-dlq-reason',
  errorCode: 'reflux-dlq-error-code',
  errorMessage: 'reflux-dlq-error-message',
  attempts: 'reflux-dlq-attempts',
  failedAt: 'reflux-dlq-failed-at',
} as const;

/** Message headers describing a dead letter (error message truncated to 2 KiB). */
export function deadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.group]: info.group,
    [DEAD_LETTER_HEADERS.topic]: info.topic,
    [DEAD_LETTER_HEADERS.position]: info.position,
    [DEAD_LETTER_HEADERS.reason]: info.reason,
    [DEAD_LETTER_HEADERS.errorCode]: info.errorCode,
    [DEAD_LETTER_HEADERS.errorMessage]: info.errorMessage.slice(0, 2048),
    [DEAD_LETTER_HEADERS.attempts]: String(info.attempts),
    [DEAD_LETTER_HEADERS.failedAt]: info.failedAt,
  };
  if (info.eventId) headers[DEAD_LETTER_HEADERS.eventId] = info.eventId;
  if (info.eventType) headers[DEAD_LETTER_HEADERS.eventType] = info.eventType;
  return headers;
}

/** Reads dead-letter headers back (for tools and tests). */
export function parseDeadLetterHeaders(headers: Readonly<Record<string, string | undefined>>): DeadLetterInfo | undefined {
  const reason = headers[DEAD_LETTER_HEADERS.reason];
  if (reason !== 'invalid-event' && reason !== 'handler-failed') return undefined;
  return {
    group: headers[DEAD_LETTER_HEADERS.group] ?? '',
    topic: headers[DEAD_LETTER_HEADERS.topic] ?? '',
    position: headers[DEAD_LETTER_HEADERS.position] ?? '',
    ...(headers[DEAD_LETTER_HEADERS.eventId] && { eventId: headers[DEAD_LETTER_HEADERS.eventId] }),
    ...(headers[DEAD_LETTER_HEADERS.eventType] && { eventType: headers[DEAD_LETTER_HEADERS.eventType] }),
    reason,
    errorCode: headers[DEAD_LETTER_HEADERS.errorCode] ?? '',
    errorMessage: headers[DEAD_LETTER_HEADERS.errorMessage] ?? '',
    attempts: Number(headers[DEAD_LETTER_HEADERS.attempts] ?? 0),
    failedAt: headers[DEAD_LETTER_HEADERS.failedAt] ?? '',
  };
}

/** A stable code and a message from anything thrown. */
export function describeError(error: unknown): { code: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    const message = (error as { message?: unknown }).message;
    return { code: typeof code === 'string' ? code : 'UNCLASSIFIED', message: typeof message === 'string' ? message : String(error) };
  }
  return { code: 'UNCLASSIFIED', message: String(error) };
}
