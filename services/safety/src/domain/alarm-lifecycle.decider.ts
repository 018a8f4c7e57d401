import type { Decider } from '@reflux/decider';
import type { AlarmAction, AlarmCommand, AlarmEvent, AlarmIdentity, Attribution } from './alarm-lifecycle.events';
import { SafetyError, SafetyErrorCode } from './safety.errors';

/** Longest a shelf may last (EEMUA 191: shelving is temporary and time-limited). */
export const MAX_SHELF_S = 24 * 3600;
export const MAX_COMMENT_CHARS = 2000;

/** ISA-18.2 states (A–G) as names. */
export type AlarmStatus = 'normal' | 'unacknowledgedActive' | 'acknowledgedActive' | 'unacknowledgedReturnToNormal' | 'shelved' | 'suppressedByDesign' | 'outOfService';

export interface AlarmState {
  readonly identity?: AlarmIdentity;
  readonly conditionActive: boolean;
  /** False while an annunciated transition waits for an operator's acknowledgement. */
  readonly acknowledged: boolean;
  readonly shelf?: { readonly by: string; readonly reason: string; readonly expiresAt: string };
  readonly suppressed: boolean;
  readonly outOfService: boolean;
  /** Time of the last condition change, ms since the epoch; older condition reports are ignored. */
  readonly lastConditionAtMs: number;
  readonly lastValue: number;
  /** Time of the last annunciated raise and the limit it crossed. */
  readonly lastRaisedAt?: string;
  readonly lastLimit?: number;
  /** Time of the last lifecycle event. */
  readonly updatedAt?: string;
}

export const initialAlarmState = (): AlarmState => ({
  conditionActive: false,
  acknowledged: true,
  suppressed: false,
  outOfService: false,
  lastConditionAtMs: Number.NEGATIVE_INFINITY,
  lastValue: Number.NaN,
});

/** Out of service hides suppression, which hides shelving. */
export function alarmStatus(s: AlarmState): AlarmStatus {
  if (s.outOfService) return 'outOfService';
  if (s.suppressed) return 'suppressedByDesign';
  if (s.shelf) return 'shelved';
  if (s.conditionActive) return s.acknowledged ? 'acknowledgedActive' : 'unacknowledgedActive';
  return s.acknowledged ? 'normal' : 'unacknowledgedReturnToNormal';
}

const annunciated = (s: AlarmState): boolean => !s.outOfService && !s.suppressed && !s.shelf;

function requireActor(a: Attribution): void {
  if (a.by.trim() === '') throw new SafetyError(SafetyErrorCode.missingActor, 'the user acting on an alarm must be named', { violations: [{ field: 'by', description: 'must not be empty' }] });
}

function refuseHidden(s: AlarmState, action: string): void {
  if (s.outOfService) throw new SafetyError(SafetyErrorCode.outOfService, `cannot ${action}: the alarm is out of service`);
  if (s.suppressed) throw new SafetyError(SafetyErrorCode.suppressedByDesign, `cannot ${action}: the alarm is suppressed by design`);
}

/** The raise that follows a return to annunciation while the condition is still active. */
function reannunciation(s: AlarmState, after: AlarmState, a: Attribution, why: string): AlarmEvent[] {
  if (!s.conditionActive || !annunciated(after) || !s.identity) return [];
  return [{ type: 'AlarmRaised', data: { ...s.identity, at: a.at, by: a.by, reason: `${why}; condition still active`, value: s.lastValue } }];
}

function decide(command: AlarmCommand, s: AlarmState): AlarmEvent[] {
  switch (command.type) {
    case 'ActivateCondition':
    case 'ClearCondition': {
      const d = command.data;
      const active = command.type === 'ActivateCondition';
      // A late or repeated report never raises or clears twice.
      if (Date.parse(d.at) <= s.lastConditionAtMs || s.conditionActive === active) return [];
      const identity: AlarmIdentity = { alarmId: d.alarmId, tagId: d.tagId, kind: d.kind, priority: d.priority, area: d.area, console: d.console };
      const limit = command.type === 'ActivateCondition' && command.data.limit !== undefined ? { limit: command.data.limit } : {};
      if (!annunciated(s))
        return [{ type: 'AlarmConditionChanged', data: { ...identity, at: d.at, by: d.by, reason: d.reason, active, value: d.value, ...limit } }];
      return active
        ? [{ type: 'AlarmRaised', data: { ...identity, at: d.at, by: d.by, reason: d.reason, value: d.value, ...limit } }]
        : [{ type: 'AlarmCleared', data: { alarmId: d.alarmId, at: d.at, by: d.by, reason: d.reason, value: d.value } }];
    }
    case 'Acknowledge': {
      requireActor(command.data);
      refuseHidden(s, 'acknowledge');
      if (s.shelf) throw new SafetyError(SafetyErrorCode.shelved, 'cannot acknowledge: the alarm is shelved');
      if (s.acknowledged) throw new SafetyError(SafetyErrorCode.notAcknowledgeable, `nothing to acknowledge: the alarm is ${alarmStatus(s)}`);
      return [{ type: 'AlarmAcknowledged', data: { ...command.data } }];
    }
    case 'Shelve': {
      const d = command.data;
      requireActor(d);
      refuseHidden(s, 'shelve');
      if (s.shelf) throw new SafetyError(SafetyErrorCode.alreadyShelved, `the alarm is already shelved by ${s.shelf.by} until ${s.shelf.expiresAt}`);
      const violations = [];
      if (d.reason.trim() === '') violations.push({ field: 'reason', description: 'a shelf needs a reason' });
      const durationS = (Date.parse(d.expiresAt) - Date.parse(d.at)) / 1000;
      if (!(durationS > 0)) violations.push({ field: 'expires_at', description: 'must be after the time of shelving' });
      else if (durationS > MAX_SHELF_S) violations.push({ field: 'expires_at', description: `must be at most ${MAX_SHELF_S / 3600} h after the time of shelving` });
      if (violations.length > 0) throw new SafetyError(SafetyErrorCode.invalidShelf, `invalid shelf: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`, { violations });
      return [{ type: 'AlarmShelved', data: { alarmId: d.alarmId, at: d.at, by: d.by, reason: d.reason, expiresAt: new Date(Date.parse(d.expiresAt)).toISOString() } }];
    }
    case 'Unshelve': {
      requireActor(command.data);
      if (!s.shelf) throw new SafetyError(SafetyErrorCode.notShelved, `the alarm is not shelved (${alarmStatus(s)})`);
      return unshelve(s, command.data, 'unshelved');
    }
    case 'ExpireShelf':
      if (!s.shelf || Date.parse(command.data.at) < Date.parse(s.shelf.expiresAt)) return [];
      return unshelve(s, command.data, 'shelf expired');
    case 'Suppress':
      if (s.suppressed) return [];
      return [{ type: 'AlarmSuppressed', data: { ...command.data } }];
    case 'Unsuppress': {
      if (!s.suppressed) return [];
      const after = { ...s, suppressed: false };
      return [{ type: 'AlarmUnsuppressed', data: { ...command.data } }, ...reannunciation(s, after, command.data, 'suppression lifted')];
    }
    case 'RemoveFromService':
      requireActor(command.data);
      if (s.outOfService) throw new SafetyError(SafetyErrorCode.outOfService, 'the alarm is already out of service');
      return [{ type: 'AlarmRemovedFromService', data: { ...command.data } }];
    case 'ReturnToService': {
      requireActor(command.data);
      if (!s.outOfService) throw new SafetyError(SafetyErrorCode.notOutOfService, 'the alarm is in service');
      const after = { ...s, outOfService: false };
      return [{ type: 'AlarmReturnedToService', data: { ...command.data } }, ...reannunciation(s, after, command.data, 'returned to service')];
    }
    case 'Comment': {
      requireActor(command.data);
      const text = command.data.text.trim();
      if (text === '' || text.length > MAX_COMMENT_CHARS)
        throw new SafetyError(SafetyErrorCode.invalidComment, `a comment needs 1 to ${MAX_COMMENT_CHARS} characters`, { violations: [{ field: 'text', description: `must have 1 to ${MAX_COMMENT_CHARS} characters` }] });
      return [{ type: 'AlarmCommented', data: { alarmId: command.data.alarmId, at: command.data.at, by: command.data.by, reason: command.data.reason, text } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown alarm command ${JSON.stringify(unknown)}`);
    }
  }
}

function unshelve(s: AlarmState, a: AlarmAction, why: string): AlarmEvent[] {
  const after = { ...s, shelf: undefined };
  return [{ type: 'AlarmUnshelved', data: { alarmId: a.alarmId, at: a.at, by: a.by, reason: a.reason || why } }, ...reannunciation(s, after, a, why)];
}

function evolve(state: AlarmState, event: AlarmEvent): AlarmState {
  const s = { ...state, updatedAt: event.data.at };
  switch (event.type) {
    case 'AlarmRaised':
      return {
        ...s,
        identity: identityOf(event.data),
        conditionActive: true,
        acknowledged: false,
        // A re-annunciation (condition already active) is not a condition change: its time is the operator's, not the sample's.
        lastConditionAtMs: s.conditionActive ? s.lastConditionAtMs : Date.parse(event.data.at),
        lastValue: event.data.value,
        lastRaisedAt: event.data.at,
        ...(event.data.limit !== undefined ? { lastLimit: event.data.limit } : { lastLimit: s.lastLimit }),
      };
    case 'AlarmCleared':
      return { ...s, conditionActive: false, lastConditionAtMs: Date.parse(event.data.at), lastValue: event.data.value };
    case 'AlarmConditionChanged':
      return { ...s, identity: identityOf(event.data), conditionActive: event.data.active, lastConditionAtMs: Date.parse(event.data.at), lastValue: event.data.value };
    case 'AlarmAcknowledged':
      return { ...s, acknowledged: true };
    case 'AlarmShelved':
      return { ...s, acknowledged: true, shelf: { by: event.data.by, reason: event.data.reason, expiresAt: event.data.expiresAt } };
    case 'AlarmUnshelved':
      return { ...s, shelf: undefined };
    case 'AlarmSuppressed':
      return { ...s, suppressed: true, acknowledged: true };
    case 'AlarmUnsuppressed':
      return { ...s, suppressed: false };
    case 'AlarmRemovedFromService':
      return { ...s, outOfService: true, acknowledged: true };
    case 'AlarmReturnedToService':
      return { ...s, outOfService: false };
    case 'AlarmCommented':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

const identityOf = (d: AlarmIdentity): AlarmIdentity => ({ alarmId: d.alarmId, tagId: d.tagId, kind: d.kind, priority: d.priority, area: d.area, console: d.console });

export const alarmLifecycleDecider: Decider<AlarmCommand, AlarmEvent, AlarmState> = { initialState: initialAlarmState, decide, evolve };
