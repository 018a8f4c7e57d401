/// <reference lib="dom" />
/** The live event stream: one EventSource, which resumes by itself with Last-Event-ID after a drop. */
export interface WireEvent {
  position: number;
  type: string;
  occurredAt?: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

export type LinkState = 'connecting' | 'live' | 'offline' | 'signed-out';

export class LiveStream {
  private source?: EventSource;
  /** Highest position applied: an event at or below it is a duplicate and is ignored. */
  lastPosition = 0;
  received = 0;

  constructor(
    private readonly onEvent: (e: WireEvent) => void,
    private readonly onState: (s: LinkState) => void,
  ) {}

  open(): void {
    this.close();
    const source = new EventSource('/v1/events', { withCredentials: true });
    this.source = source;
    this.onState('connecting');
    source.onopen = () => this.onState('live');
    source.onerror = () => this.onState(source.readyState === EventSource.CLOSED ? 'signed-out' : 'offline');
    source.onmessage = (m: MessageEvent<string>) => {
      const e = JSON.parse(m.data) as WireEvent;
      if (e.position <= this.lastPosition) return;
      this.lastPosition = e.position;
      this.received++;
      this.onEvent(e);
    };
    // The gateway closes a client that fell behind; EventSource then reconnects with Last-Event-ID.
    source.addEventListener('lagging', () => this.onState('offline'));
  }

  close(): void {
    this.source?.close();
    this.source = undefined;
  }
}
