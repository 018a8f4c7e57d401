import type { AlarmKind, AlarmPriority } from './alarm-config';

/** Who did it and why: every lifecycle event carries both (the engine acts as `system`). */
export interface Attribution {
  /** ISO-8601 instant of the transition (sample time for condition changes). */
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

export interface AlarmIdentity {
  readonly alarmId: string;
  readonly tagId: string;
  readonly kind: AlarmKind;
  readonly priority: AlarmPriority;
  readonly area: string;
  readonly console: string;
}

export type AlarmEvent =
  /** The condition became true and is annunciated (A/D → B, or re-annunciated on return from shelf, suppression or service). */
  | { readonly type: 'AlarmRaised'; readonly data: AlarmIdentity & Attribution & { readonly value: number; readonly limit?: number } }
  /** The condition returned to normal while annunciated (B → D, C → A). */
  | { readonly type: 'AlarmCleared'; readonly data: Attribution & { readonly alarmId: string; readonly value: number } }
  /** The condition changed while not annunciated (shelved, suppressed, out of service): recorded, not shown. */
  | { readonly type: 'AlarmConditionChanged'; readonly data: AlarmIdentity & Attribution & { readonly active: boolean; readonly value: number; readonly limit?: number } }
  | { readonly type: 'AlarmAcknowledged'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmShelved'; readonly data: Attribution & { readonly alarmId: string; readonly expiresAt: string } }
  | { readonly type: 'AlarmUnshelved'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmSuppressed'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmUnsuppressed'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmRemovedFromService'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmReturnedToService'; readonly data: Attribution & { readonly alarmId: string } }
  | { readonly type: 'AlarmCommented'; readonly data: Attribution & { readonly alarmId: string; readonly text: string } };

export type AlarmEventType = AlarmEvent['type'];

export const ALARM_EVENT_TYPES: readonly AlarmEventType[] = [
  'AlarmRaised',
  'AlarmCleared',
  'AlarmConditionChanged',
  'AlarmAcknowledged',
  'AlarmShelved',
  'AlarmUnshelved',
  'AlarmSuppressed',
  'AlarmUnsuppressed',
  'AlarmRemovedFromService',
  'AlarmReturnedToService',
  'AlarmCommented',
];

/** An operator's or the system's action on one alarm. */
export type AlarmAction = Attribution & { readonly alarmId: string };

export type AlarmCommand =
  | { readonly type: 'ActivateCondition'; readonly data: AlarmIdentity & Attribution & { readonly value: number; readonly limit?: number } }
  | { readonly type: 'ClearCondition'; readonly data: AlarmIdentity & Attribution & { readonly value: number } }
  | { readonly type: 'Acknowledge'; readonly data: AlarmAction }
  | { readonly type: 'Shelve'; readonly data: AlarmAction & { readonly expiresAt: string } }
  | { readonly type: 'Unshelve'; readonly data: AlarmAction }
  /** Timer-driven: unshelves when the shelf has expired at `at`, otherwise does nothing. */
  | { readonly type: 'ExpireShelf'; readonly data: AlarmAction }
  | { readonly type: 'Suppress'; readonly data: AlarmAction }
  | { readonly type: 'Unsuppress'; readonly data: AlarmAction }
  | { readonly type: 'RemoveFromService'; readonly data: AlarmAction }
  | { readonly type: 'ReturnToService'; readonly data: AlarmAction }
  | { readonly type: 'Comment'; readonly data: AlarmAction & { readonly text: string } };
