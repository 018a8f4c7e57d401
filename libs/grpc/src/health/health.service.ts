import { EventEmitter } from 'node:events';
import { type Metadata, status as Status, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { platformStatus } from '../errors/error-status.mapper';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';
type WatchStatus = ServingStatus | 'SERVICE_UNKNOWN';

/** The server as a whole: the empty service name of the health checking protocol. */
export const OVERALL_SERVICE = '';

/**
 * Serving status per service (`grpc.health.v1.Health`): Check, List and Watch. Every registered
 * service starts NOT_SERVING and turns SERVING when the server is ready; a draining server turns
 * everything NOT_SERVING first. Services may flip their own status (e.g. while their database is
 * unreachable).
 */
export class HealthStatusRegistry {
  private readonly statuses = new Map<string, ServingStatus>([[OVERALL_SERVICE, 'NOT_SERVING']]);
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly watchers = new Set<ServerWritableStream<unknown, unknown>>();
  private readonly watchesByPeer = new Map<string, number>();
  private readonly maxWatchesPerPeer: number;
  private frozen = false;

  /** `maxWatchesPerPeer`: open Watch streams per remote address (Watch needs no credentials). */
  constructor(options: { maxWatchesPerPeer?: number } = {}) {
    this.maxWatchesPerPeer = options.maxWatchesPerPeer ?? Number.POSITIVE_INFINITY;
  }

  register(service: string): void {
    if (!this.statuses.has(service)) this.statuses.set(service, 'NOT_SERVING');
  }

  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /** Sets one service's status. Ignored once shutdown froze the registry at NOT_SERVING. */
  set(service: string, status: ServingStatus): void {
    if (this.frozen || !this.statuses.has(service) || this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    this.changes.emit('change', service, status);
  }

  setAll(status: ServingStatus): void {
    for (const service of this.statuses.keys()) this.set(service, status);
  }

  /** Shutdown: everything NOT_SERVING for good, and Watch streams ended so draining can finish. */
  shutdown(): void {
    this.setAll('NOT_SERVING');
    this.frozen = true;
    for (const call of this.watchers) call.end();
    this.watchers.clear();
  }

  implementation(): UntypedServiceImplementation {
    return {
      Check: (call: ServerUnaryCall<{ service: string }, unknown>, callback: sendUnaryData<unknown>) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) callback({ code: Status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        else callback(null, { status });
      },
      List: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        callback(null, { statuses: Object.fromEntries([...this.statuses].map(([service, status]) => [service, { status }])) });
      },
      Watch: (call: ServerWritableStream<{ service: string }, unknown>) => this.watch(call),
    };
  }

  private watch(call: ServerWritableStream<{ service: string }, unknown>): void {
    const service = call.request.service;
    const peer = remoteAddressOf(call.getPeer());
    const open = this.watchesByPeer.get(peer) ?? 0;
    if (open >= this.maxWatchesPerPeer) {
      const details = `too many health Watch streams from ${peer} (at most ${this.maxWatchesPerPeer}); close one or use Check`;
      return void call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details, metadata: tooManyWatches(details) });
    }
    this.watchesByPeer.set(peer, open + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (this.watchesByPeer.get(peer) ?? 1) - 1;
      if (left > 0) this.watchesByPeer.set(peer, left);
      else this.watchesByPeer.delete(peer);
    };
    let last: WatchStatus | undefined;
    const send = (status: WatchStatus): void => {
      if (status !== last) call.write({ status });
      last = status;
    };
    send(this.statuses.get(service) ?? 'SERVICE_UNKNOWN');
    if (this.frozen) {
      release();
      return void call.end();
    }
    const onChange = (changed: string, status: ServingStatus): void => {
      if (changed === service) send(status);
    };
    this.changes.on('change', onChange);
    this.watchers.add(call as ServerWritableStream<unknown, unknown>);
    const stop = (): void => {
      release();
      this.changes.off('change', onChange);
      this.watchers.delete(call as ServerWritableStream<unknown, unknown>);
    };
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('finish', stop);
  }
}

/** The remote address of a grpc-js peer string (`10.0.0.7:51234`, `[::1]:51234`), port removed. */
function remoteAddressOf(peer: string): string {
  return peer.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

function tooManyWatches(details: string): Metadata {
  return platformStatus(Status.RESOURCE_EXHAUSTED, 'GRPC.TOO_MANY_WATCHES', details, true).metadata;
}
