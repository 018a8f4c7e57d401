/** IPC between the benchmark and its SSE client processes (sse-clients.ts). */
export interface ClientSettings {
  readonly url: string;
  readonly token: string;
  /** Clients this process opens. */
  readonly clients: number;
  /** Events the writer will append (each carries `seq`, 0 … events − 1, in its data). */
  readonly events: number;
}

export interface ClientsReport {
  /** Per client, per event `seq`: wall-clock ms at which it arrived (NaN: never). */
  readonly receivedAtMs: Float64Array[];
  /** Events a client received more than once, and events that arrived after a later one. */
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** CPU time of this client process between `ready` and `collect`. */
  readonly cpuMs: number;
}
