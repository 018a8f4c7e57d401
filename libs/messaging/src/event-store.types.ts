// The integration-event log and the outbox are built on the event store's public port (a
// type-only edge between two data-access libraries; see README.md "Module boundaries").
export type { EventStore, NewEvent, RecordedEvent, Subscription } from '@reflux/event-store';
