import { DomainError } from '@reflux/decider';

export const MESSAGING_ERROR_CODES = {
  /** The broker did not acknowledge a publish (after the client's own retries). */
  PUBLISH_FAILED: 'MESSAGING.PUBLISH_FAILED',
  /** A consumer could not join its group in time. */
  SUBSCRIBE_FAILED: 'MESSAGING.SUBSCRIBE_FAILED',
  /** A message could not be decoded (not JSON, not an envelope). */
  UNDECODABLE_MESSAGE: 'MESSAGING.UNDECODABLE_MESSAGE',
  /** The bus was used after `close()`. */
  BUS_CLOSED: 'MESSAGING.BUS_CLOSED',
  /** Topics could not be created through the admin client (retriable: the broker may be back later). */
  TOPIC_SETUP_FAILED: 'MESSAGING.TOPIC_SETUP_FAILED',
  /** Invalid bus configuration. */
  INVALID_CONFIG: 'MESSAGING.INVALID_CONFIG',
} as const;

export class MessagingError extends DomainError {}
