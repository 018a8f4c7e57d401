export * from './event-store.port';
export * from './event-store.errors';
export { migrateEventStore, eventStoreMigrations, EVENTS_CHANNEL } from './event-store.schema';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { UpcasterRegistry, defineUpcaster, type Upcaster } from './upcaster.registry';
export { defineProjection, startProjection, rebuildProjection, type Projection, type ProjectionDefinition, type ProjectionEventHandler, type RebuildResult } from './projection';
export { handleCommand, type HandleCommandOptions, type HandleCommandResult, type DomainEvent } from './command-handler';
export { retryWithBackoff, backoffDelayMs, type RetryOptions } from './retry';
export type { Checkpoint } from './event-store.safe-read';
