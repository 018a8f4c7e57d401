import type { AlarmEvent } from '../domain/alarm-lifecycle.events';
import type { AlarmState } from '../domain/alarm-lifecycle.decider';

/** One committed lifecycle event and the alarm's state after it. */
export interface AlarmChange {
  readonly plantId: string;
  readonly alarmId: string;
  readonly event: AlarmEvent;
  readonly state: AlarmState;
  readonly recordedAt: Date;
}

type Listener = (change: AlarmChange) => void;

/** In-process fan-out of committed alarm changes to WatchAlarms streams (published after commit). */
export class AlarmChangeHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: AlarmChange): void {
    for (const listener of this.listeners) listener(change);
  }

  get size(): number {
    return this.listeners.size;
  }
}
