import { status as Status } from '@grpc/grpc-js';

/**
 * How one error code of a platform library reaches a client. `internal`: a server-side fault whose
 * message and details (event ids, stream names, positions) stay in the log; the client gets
 * INTERNAL with an incident id and the code only. `retriable` overrides the error's own flag.
 */
export interface PlatformCodeMapping {
  readonly status: Status;
  readonly retriable?: boolean;
  readonly internal?: boolean;
}

/**
 * Every error code raised by the shared libraries (event store, messaging, contracts, config,
 * database, this library), mapped explicitly rather than inferred from its name. The prefixes in
 * PLATFORM_CODE_PREFIXES are checked against the libraries' sources by a test, so a new code
 * cannot ship unmapped. Service codes (`INGESTION.*`, `BALANCE.*`, …) keep the inference rules.
 */
export const PLATFORM_ERROR_CODES: Readonly<Record<string, PlatformCodeMapping>> = {
  // A stale read: re-read the stream and decide again (gRPC: "retry at a higher level").
  'EVENT_STORE.WRONG_EXPECTED_VERSION': { status: Status.ABORTED, retriable: true },
  // Roll back and retry in a new transaction: the same higher-level retry.
  'EVENT_STORE.TRANSACTION_ORDER_CONFLICT': { status: Status.ABORTED, retriable: true },
  // Another writer stored the same ids meanwhile: repeating the identical request classifies it.
  'EVENT_STORE.CONCURRENT_DUPLICATE': { status: Status.UNAVAILABLE, retriable: true },
  'EVENT_STORE.TRANSIENT': { status: Status.UNAVAILABLE, retriable: true },
  'EVENT_STORE.CLOSED': { status: Status.UNAVAILABLE, retriable: true },
  // An id reused for other content: the caller's id is taken.
  'EVENT_STORE.EVENT_ID_CONFLICT': { status: Status.ALREADY_EXISTS, retriable: false },
  // Neither new nor a retry: the request itself is wrong.
  'EVENT_STORE.PARTIAL_DUPLICATE_BATCH': { status: Status.INVALID_ARGUMENT, retriable: false },
  'EVENT_STORE.INVALID_ARGUMENT': { status: Status.INVALID_ARGUMENT, retriable: false },
  'EVENT_STORE.UPCAST_FAILED': { status: Status.INTERNAL, retriable: false, internal: true },
  // Start-up refusal after a restore into another cluster: an operator has to rebase, not a client.
  'EVENT_STORE.TRANSACTION_IDS_AHEAD': { status: Status.INTERNAL, retriable: false, internal: true },

  'MESSAGING.PUBLISH_FAILED': { status: Status.UNAVAILABLE, retriable: true },
  'MESSAGING.SUBSCRIBE_FAILED': { status: Status.UNAVAILABLE, retriable: true },
  'MESSAGING.BUS_CLOSED': { status: Status.UNAVAILABLE, retriable: true },
  'MESSAGING.UNDECODABLE_MESSAGE': { status: Status.INTERNAL, retriable: false, internal: true },
  'MESSAGING.INVALID_CONFIG': { status: Status.INTERNAL, retriable: false, internal: true },
  // The broker refused or could not create a topic: retried when the broker is reachable again.
  'MESSAGING.TOPIC_SETUP_FAILED': { status: Status.UNAVAILABLE, retriable: true },

  'CONTRACTS.INVALID_EVENT': { status: Status.INVALID_ARGUMENT, retriable: false },
  'CONTRACTS.UNKNOWN_EVENT_TYPE': { status: Status.INTERNAL, retriable: false, internal: true },
  'CONTRACTS.UNSUPPORTED_SCHEMA_VERSION': { status: Status.FAILED_PRECONDITION, retriable: false },
  // An event from a producer deployed ahead of this consumer: held until this service is upgraded.
  'CONTRACTS.SCHEMA_VERSION_AHEAD': { status: Status.FAILED_PRECONDITION, retriable: true },
  'CONTRACTS.INVALID_REGISTRY': { status: Status.INTERNAL, retriable: false, internal: true },

  'CONFIG.INVALID': { status: Status.INTERNAL, retriable: false, internal: true },
  'DATABASE.MIGRATIONS_PENDING': { status: Status.UNAVAILABLE, retriable: true },

  'GRPC.UNAUTHENTICATED': { status: Status.UNAUTHENTICATED, retriable: false },
  'GRPC.PERMISSION_DENIED': { status: Status.PERMISSION_DENIED, retriable: false },
  'GRPC.DEADLINE_EXCEEDED': { status: Status.DEADLINE_EXCEEDED, retriable: true },
  'GRPC.INVALID_REQUEST': { status: Status.INVALID_ARGUMENT, retriable: false },
  'GRPC.TOO_MANY_WATCHES': { status: Status.RESOURCE_EXHAUSTED, retriable: true },
  'GRPC.INVALID_CONFIG': { status: Status.INTERNAL, retriable: false, internal: true },
  'GRPC.INTERNAL': { status: Status.INTERNAL, retriable: false, internal: true },
};

/** Code prefixes owned by the shared libraries: every code under them must be in the table above. */
export const PLATFORM_CODE_PREFIXES = ['EVENT_STORE', 'MESSAGING', 'CONTRACTS', 'CONFIG', 'DATABASE', 'GRPC'] as const;
