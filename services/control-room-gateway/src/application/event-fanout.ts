import { GATEWAY_ERROR_CODES, GatewayError } from '../domain/gateway.errors';
import type { EventFilter } from '../domain/event-filter';
import { isIntegrationStream, type StoredIntegrationEvent } from '../domain/wire-event';
import type { EventLog, LogTailHandle } from './event-log.port';
import { EventRing, ringEntryOf } from './event-ring';
import type { EventSink } from './event-sink.port';
import { FrameCache } from './frame-cache';
import { Semaphore } from './semaphore';
import { StreamConnection } from './stream-connection';

/** Bytes of serialised catch-up frames kept for clients that resume from about the same position. */
const FRAME_CACHE_BYTES = 8 * 2 ** 20;

export interface EventFanoutOptions {
  /** Events kept in memory for live clients (count and bytes); a client further behind lags. */
  readonly ringEvents: number;
  readonly ringBytes: number;
  /** Events per database read of a resuming client, and how many such reads run at once. */
  readonly catchUpBatch: number;
  readonly concurrentCatchUps: number;
  /** Every integration event type (what an unfiltered client reads). */
  readonly eventTypes: readonly string[];
  /** Sees every integration event the tail reads (read models kept by the gateway). */
  readonly observe?: (event: StoredIntegrationEvent) => void;
}

export interface FanoutStats {
  connections: number;
  laggingDisconnects: number;
  ringEvents: number;
  ringBytes: number;
}

/**
 * One tail of the event log per gateway process, fanned out to every connection. The tail starts at
 * the log's head; a client that resumes from an older position reads the gap from the database,
 * then joins the ring. Position is the resume token: the order is the log's commit-safe order, the
 * same on every replica, so any replica can resume any client.
 */
export class EventFanout {
  private ring?: EventRing;
  private tail?: LogTailHandle;
  private readonly connections = new Set<StreamConnection>();
  private readonly catchUps: Semaphore;
  private readonly frames: FrameCache;
  private laggingDisconnects = 0;

  constructor(
    private readonly log: EventLog,
    private readonly options: EventFanoutOptions,
  ) {
    this.catchUps = new Semaphore(options.concurrentCatchUps);
    // Room for every batch the concurrent catch-ups hold, twice over: clients that resume together stay within it.
    this.frames = new FrameCache(2 * options.catchUpBatch * options.concurrentCatchUps, FRAME_CACHE_BYTES);
  }

  async start(): Promise<void> {
    const head = await this.log.head();
    const ring = new EventRing(head, (a, b) => this.log.compare(a, b), this.options.ringEvents, this.options.ringBytes);
    this.ring = ring;
    // A tail batch is a small part of the ring, so that one batch never evicts what a reading client has not yet been sent.
    const tailBatch = Math.max(1, Math.min(1000, Math.floor(this.options.ringEvents / 4)));
    this.tail = this.log.tail(head, tailBatch, (batch) => {
      const entries = [];
      for (let i = 0; i < batch.events.length; i++) {
        const event = batch.events[i];
        if (!isIntegrationStream(event.streamId)) continue;
        entries.push(ringEntryOf(event, batch.cursors[i]));
        this.options.observe?.(event);
      }
      ring.append(entries, batch.next);
      if (entries.length > 0) for (const c of this.connections) c.appended();
    });
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.close();
    this.connections.clear();
    await this.tail?.stop();
  }

  /**
   * Opens a connection: live from now, or resumed after `resumeAfter` (a global position the client
   * received). Throws GATEWAY.RESUME_POSITION_UNKNOWN when no event has that position (pruned or
   * never written): the client reloads its snapshot and connects afresh.
   */
  async open(sink: EventSink, filter: EventFilter, resumeAfter?: number): Promise<StreamConnection> {
    const ring = this.ring;
    if (!ring) throw new GatewayError(GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE, 'the event stream is not started');
    let from = ring.head;
    if (resumeAfter !== undefined) {
      const cursor = await this.log.cursorAt(resumeAfter);
      if (!cursor)
        throw new GatewayError(GATEWAY_ERROR_CODES.RESUME_POSITION_UNKNOWN, `no event has position ${resumeAfter} (never written, or pruned by retention): load a snapshot and connect without a resume position`, [
          { field: 'resumeAfter', description: `position ${resumeAfter} is not in the event log` },
        ]);
      from = cursor;
    }
    const connection = new StreamConnection(
      {
        ring,
        log: this.log,
        catchUps: this.catchUps,
        catchUpBatch: this.options.catchUpBatch,
        frames: this.frames,
        allTypes: this.options.eventTypes,
        onLagging: () => this.laggingDisconnects++,
      },
      sink,
      filter,
      from,
      resumeAfter,
    );
    this.connections.add(connection);
    connection.pump();
    return connection;
  }

  release(connection: StreamConnection): void {
    connection.close();
    this.connections.delete(connection);
  }

  stats(): FanoutStats {
    return { connections: this.connections.size, laggingDisconnects: this.laggingDisconnects, ringEvents: this.ring?.size ?? 0, ringBytes: this.ring?.sizeBytes ?? 0 };
  }
}
