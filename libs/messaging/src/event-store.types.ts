// The integration-event log and the outbox are built on the event store's public port. This is a
// type-only edge (erased at compile time) between two data-access libraries, which the module
// boundary matrix does not foresee; see README.md "Module boundaries".
// eslint-disable-next-line @nx/enforce-module-boundaries
export type { EventStore, NewEvent, RecordedEvent, Subscription } from '@reflux/event-store';
