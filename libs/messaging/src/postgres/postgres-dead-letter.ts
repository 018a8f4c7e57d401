import type { DeadLetterInfo } from '../dead-letter';
import type { NewEvent, RecordedEvent } from '../event-store.types';
import { fromStoredEvent } from './integration-event.codec';

/** Dead letters of a consumer group live in the stream `$dlq-<group>` of the event log. */
export const DEAD_LETTER_CATEGORY = '$dlq-';
export const DEAD_LETTER_EVENT_TYPE = 'IntegrationEventDeadLettered';

export function deadLetterStreamId(group: string): string {
  return `${DEAD_LETTER_CATEGORY}${group}`;
}

export interface DeadLetterData {
  readonly info: DeadLetterInfo;
  /** The original envelope as it was stored. */
  readonly message: Record<string, unknown>;
  readonly originalStreamId: string;
}

export function toDeadLetterEvent(recorded: RecordedEvent, info: DeadLetterInfo): NewEvent<typeof DEAD_LETTER_EVENT_TYPE, DeadLetterData> {
  return {
    type: DEAD_LETTER_EVENT_TYPE,
    data: { info, message: fromStoredEvent(recorded), originalStreamId: recorded.streamId },
    metadata: { causationId: recorded.eventId, ...(typeof recorded.metadata.correlationId === 'string' && { correlationId: recorded.metadata.correlationId }) },
  };
}
