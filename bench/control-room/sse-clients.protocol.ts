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
  /** Events a client received more than once. */
  readonly duplicates: number;
  /** Per client, a fingerprint of the order it received the events in (`orderHash`): every client must see the same order. */
  readonly orders: number[];
  /** CPU time of this client process between `ready` and `collect`. */
  readonly cpuMs: number;
}

/** FNV-1a step over an event's `seq`: the fingerprint of a delivery order, seq after seq (start at ORDER_HASH_START). */
export const ORDER_HASH_START = 0x811c9dc5;
export const orderHash = (hash: number, seq: number): number => Math.imul(hash ^ seq, 0x01000193) >>> 0;
