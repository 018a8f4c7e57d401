import type { ContractRegistry } from '@reflux/contracts';
import type { SubscribeOptions } from './event-bus.port';
import { MESSAGING_ERROR_CODES, MessagingError } from './messaging.error';

/** Topics a consumer reads: the ones named, else the topics of the types named. */
export function subscriptionTopics(options: Pick<SubscribeOptions, 'group' | 'topics' | 'types'>, registry: ContractRegistry): string[] {
  if (!options.group) throw new MessagingError(MESSAGING_ERROR_CODES.INVALID_CONFIG, 'subscribe needs a consumer group', { details: { field: 'group' } });
  const topics = new Set(options.topics ?? []);
  if (topics.size === 0) for (const type of options.types ?? []) topics.add(registry.topicOf(type));
  if (topics.size === 0) {
    throw new MessagingError(MESSAGING_ERROR_CODES.INVALID_CONFIG, `consumer group ${options.group} names neither topics nor event types`, { details: { field: 'topics' } });
  }
  return [...topics];
}
