/**
 * Snapshots of a decider's state at a stream version, so that a command on a long stream folds only
 * the events after it. A snapshot is a cache: losing or ignoring one never changes a decision.
 */
export interface Snapshot {
  /** Version of the stream's last event folded into `state`. */
  readonly streamVersion: number;
  /** The state as JSON-compatible data. */
  readonly state: unknown;
}

export interface SnapshotStore {
  /**
   * The snapshot stored under (`streamId`, `name`) if it was written with `schemaVersion`; a
   * snapshot of another schema version (the state's shape or the decider's `evolve` changed) is
   * ignored.
   */
  loadSnapshot(streamId: string, name: string, schemaVersion: number): Promise<Snapshot | undefined>;
  /** Stores a snapshot unless one of the same schema version at a later stream version exists. */
  saveSnapshot(streamId: string, name: string, schemaVersion: number, snapshot: Snapshot): Promise<void>;
}
