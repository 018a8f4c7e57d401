import { DeciderSpecification } from '@reflux/decider';
import { alarmLifecycleDecider, alarmStatus, MAX_SHELF_S } from './alarm-lifecycle.decider';
import { foldEvents } from '@reflux/decider';
import type { AlarmCommand, AlarmEvent, AlarmIdentity } from './alarm-lifecycle.events';

const spec = DeciderSpecification.for(alarmLifecycleDecider);
const id: AlarmIdentity = { alarmId: 'TI-101/H', tagId: 'TI-101', kind: 'H', priority: 'medium', area: 'crude', console: 'console-1' };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, s)).toISOString();
const system = { by: 'system', reason: 'H limit 80 exceeded' };

const activate = (s: number, value = 85): AlarmCommand => ({ type: 'ActivateCondition', data: { ...id, at: at(s), ...system, value, limit: 80 } });
const clear = (s: number, value = 70): AlarmCommand => ({ type: 'ClearCondition', data: { ...id, at: at(s), by: 'system', reason: 'back below H', value } });
const op = (s: number, reason = '') => ({ alarmId: id.alarmId, at: at(s), by: 'op-7', reason });
const acknowledge = (s: number): AlarmCommand => ({ type: 'Acknowledge', data: op(s) });
const shelve = (s: number, forS = 3600, reason = 'transmitter being replaced'): AlarmCommand => ({ type: 'Shelve', data: { ...op(s, reason), expiresAt: at(s + forS) } });

const raised = (s: number, value = 85): AlarmEvent => ({ type: 'AlarmRaised', data: { ...id, at: at(s), ...system, value, limit: 80 } });
const cleared = (s: number, value = 70): AlarmEvent => ({ type: 'AlarmCleared', data: { alarmId: id.alarmId, at: at(s), by: 'system', reason: 'back below H', value } });
const acknowledged = (s: number): AlarmEvent => ({ type: 'AlarmAcknowledged', data: op(s) });
const shelved = (s: number, forS = 3600): AlarmEvent => ({ type: 'AlarmShelved', data: { ...op(s, 'transmitter being replaced'), expiresAt: at(s + forS) } });
const suppressed = (s: number): AlarmEvent => ({ type: 'AlarmSuppressed', data: { alarmId: id.alarmId, at: at(s), by: 'system', reason: 'unit U-100 shutdown' } });
const removed = (s: number): AlarmEvent => ({ type: 'AlarmRemovedFromService', data: op(s, 'instrument maintenance') });

const statusAfter = (events: AlarmEvent[]) => alarmStatus(foldEvents(alarmLifecycleDecider, events));

describe('alarm lifecycle (ISA-18.2)', () => {
  describe('legal transitions', () => {
    it('A → B: a condition in normal raises an unacknowledged alarm', () => {
      spec.given([]).when(activate(0)).then([raised(0)]);
      expect(statusAfter([raised(0)])).toBe('unacknowledgedActive');
    });
    it('B → C: acknowledging an active alarm', () => {
      spec.given([raised(0)]).when(acknowledge(5)).then([acknowledged(5)]);
      expect(statusAfter([raised(0), acknowledged(5)])).toBe('acknowledgedActive');
    });
    it('B → D: the condition clears before acknowledgement', () => {
      spec.given([raised(0)]).when(clear(9)).then([cleared(9)]);
      expect(statusAfter([raised(0), cleared(9)])).toBe('unacknowledgedReturnToNormal');
    });
    it('C → A: an acknowledged alarm clears to normal', () => {
      spec.given([raised(0), acknowledged(5)]).when(clear(9)).then([cleared(9)]);
      expect(statusAfter([raised(0), acknowledged(5), cleared(9)])).toBe('normal');
    });
    it('D → A: acknowledging a returned alarm', () => {
      spec.given([raised(0), cleared(9)]).when(acknowledge(12)).then([acknowledged(12)]);
      expect(statusAfter([raised(0), cleared(9), acknowledged(12)])).toBe('normal');
    });
    it('D → B: the condition returns before acknowledgement and re-raises', () => {
      spec.given([raised(0), cleared(9)]).when(activate(11, 86)).then([raised(11, 86)]);
    });
    it('B → E: shelving an active alarm; the condition is recorded, not annunciated', () => {
      spec.given([raised(0)]).when(shelve(3)).then([shelved(3)]);
      expect(statusAfter([raised(0), shelved(3)])).toBe('shelved');
      spec
        .given([raised(0), shelved(3)])
        .when(clear(9))
        .then([{ type: 'AlarmConditionChanged', data: { ...id, at: at(9), by: 'system', reason: 'back below H', active: false, value: 70 } }]);
    });
    it('E → A: unshelving an alarm whose condition is gone returns it to normal', () => {
      const history = [raised(0), shelved(3), { type: 'AlarmConditionChanged', data: { ...id, at: at(9), by: 'system', reason: 'x', active: false, value: 70 } } as AlarmEvent];
      spec.given(history).when({ type: 'Unshelve', data: op(20, 'repair done') }).then([{ type: 'AlarmUnshelved', data: op(20, 'repair done') }]);
      expect(statusAfter([...history, { type: 'AlarmUnshelved', data: op(20, 'repair done') }])).toBe('normal');
    });
    it('E → B: unshelving an alarm whose condition is still active re-raises it', () => {
      spec
        .given([raised(0), shelved(3)])
        .when({ type: 'Unshelve', data: op(20, 'repair done') })
        .then([
          { type: 'AlarmUnshelved', data: op(20, 'repair done') },
          { type: 'AlarmRaised', data: { ...id, at: at(20), by: 'op-7', reason: 'unshelved; condition still active', value: 85 } },
        ]);
    });
    it('shelf expiry: unshelves by the system at expiry, not a moment before', () => {
      spec.given([raised(0), shelved(3, 600)]).when({ type: 'ExpireShelf', data: { alarmId: id.alarmId, at: at(602), by: 'system', reason: '' } }).thenNothingHappens();
      spec
        .given([raised(0), shelved(3, 600)])
        .when({ type: 'ExpireShelf', data: { alarmId: id.alarmId, at: at(603), by: 'system', reason: '' } })
        .then([
          { type: 'AlarmUnshelved', data: { alarmId: id.alarmId, at: at(603), by: 'system', reason: 'shelf expired' } },
          { type: 'AlarmRaised', data: { ...id, at: at(603), by: 'system', reason: 'shelf expired; condition still active', value: 85 } },
        ]);
    });
    it('A–D → F: suppression by design hides the alarm, lifting it re-raises an active condition', () => {
      spec.given([raised(0)]).when({ type: 'Suppress', data: { alarmId: id.alarmId, at: at(4), by: 'system', reason: 'unit U-100 shutdown' } }).then([suppressed(4)]);
      expect(statusAfter([raised(0), suppressed(4)])).toBe('suppressedByDesign');
      spec
        .given([raised(0), suppressed(4)])
        .when({ type: 'Unsuppress', data: { alarmId: id.alarmId, at: at(50), by: 'system', reason: 'unit U-100 running' } })
        .then([
          { type: 'AlarmUnsuppressed', data: { alarmId: id.alarmId, at: at(50), by: 'system', reason: 'unit U-100 running' } },
          { type: 'AlarmRaised', data: { ...id, at: at(50), by: 'system', reason: 'suppression lifted; condition still active', value: 85 } },
        ]);
    });
    it('suppressing twice or lifting an absent suppression does nothing (unit-state changes repeat)', () => {
      spec.given([suppressed(4)]).when({ type: 'Suppress', data: { alarmId: id.alarmId, at: at(5), by: 'system', reason: 'again' } }).thenNothingHappens();
      spec.given([]).when({ type: 'Unsuppress', data: { alarmId: id.alarmId, at: at(5), by: 'system', reason: 'running' } }).thenNothingHappens();
    });
    it('A–D → G and back: out of service, and return to service re-raises an active condition', () => {
      spec.given([raised(0)]).when({ type: 'RemoveFromService', data: op(4, 'instrument maintenance') }).then([removed(4)]);
      expect(statusAfter([raised(0), removed(4)])).toBe('outOfService');
      spec
        .given([raised(0), removed(4)])
        .when({ type: 'ReturnToService', data: op(90, 'calibrated') })
        .then([
          { type: 'AlarmReturnedToService', data: op(90, 'calibrated') },
          { type: 'AlarmRaised', data: { ...id, at: at(90), by: 'op-7', reason: 'returned to service; condition still active', value: 85 } },
        ]);
    });
    it('a comment is recorded in any state', () => {
      spec.given([raised(0)]).when({ type: 'Comment', data: { ...op(2), text: '  called field operator  ' } }).then([{ type: 'AlarmCommented', data: { ...op(2), text: 'called field operator' } }]);
    });
  });

  describe('late and repeated condition reports', () => {
    it('does not raise an active alarm twice', () => {
      spec.given([raised(0)]).when(activate(5)).thenNothingHappens();
    });
    it('does not clear a normal alarm', () => {
      spec.given([]).when(clear(5)).thenNothingHappens();
    });
    it('ignores a report older than the last condition change', () => {
      spec.given([raised(10), cleared(20)]).when(activate(15)).thenNothingHappens();
      spec.given([raised(10)]).when(clear(10)).thenNothingHappens();
    });
  });

  describe('illegal transitions', () => {
    it('refuses to acknowledge a normal alarm', () => {
      spec.given([]).when(acknowledge(1)).thenThrows('ALARM.NOT_ACKNOWLEDGEABLE');
    });
    it('refuses to acknowledge an acknowledged alarm', () => {
      spec.given([raised(0), acknowledged(1)]).when(acknowledge(2)).thenThrows('ALARM.NOT_ACKNOWLEDGEABLE');
    });
    it('refuses to acknowledge a shelved alarm', () => {
      spec.given([raised(0), shelved(1)]).when(acknowledge(2)).thenThrows('ALARM.SHELVED');
    });
    it('refuses to acknowledge a suppressed alarm', () => {
      spec.given([raised(0), suppressed(1)]).when(acknowledge(2)).thenThrows('ALARM.SUPPRESSED_BY_DESIGN');
    });
    it('refuses to acknowledge an alarm out of service', () => {
      spec.given([raised(0), removed(1)]).when(acknowledge(2)).thenThrows('ALARM.OUT_OF_SERVICE');
    });
    it('refuses to shelve twice', () => {
      spec.given([raised(0), shelved(1)]).when(shelve(2)).thenThrows('ALARM.ALREADY_SHELVED');
    });
    it('refuses to shelve an alarm out of service or suppressed', () => {
      spec.given([removed(1)]).when(shelve(2)).thenThrows('ALARM.OUT_OF_SERVICE');
      spec.given([suppressed(1)]).when(shelve(2)).thenThrows('ALARM.SUPPRESSED_BY_DESIGN');
    });
    it('refuses a shelf without reason, ending before it starts or longer than the maximum, naming the field', () => {
      const noReason = spec.given([raised(0)]).when(shelve(2, 600, ' ')).thenThrows('ALARM.INVALID_SHELF') as { fieldViolations: { field: string }[] };
      expect(noReason.fieldViolations.map((v) => v.field)).toEqual(['reason']);
      spec.given([raised(0)]).when(shelve(2, 0)).thenThrows('ALARM.INVALID_SHELF');
      spec.given([raised(0)]).when(shelve(2, MAX_SHELF_S + 1)).thenThrows('ALARM.INVALID_SHELF');
      spec.given([raised(0)]).when(shelve(2, MAX_SHELF_S)).then([shelved(2, MAX_SHELF_S)]);
    });
    it('refuses to unshelve an alarm that is not shelved', () => {
      spec.given([raised(0)]).when({ type: 'Unshelve', data: op(3) }).thenThrows('ALARM.NOT_SHELVED');
    });
    it('refuses to remove from service twice and to return an alarm in service', () => {
      spec.given([removed(0)]).when({ type: 'RemoveFromService', data: op(3) }).thenThrows('ALARM.OUT_OF_SERVICE');
      spec.given([]).when({ type: 'ReturnToService', data: op(3) }).thenThrows('ALARM.NOT_OUT_OF_SERVICE');
    });
    it('refuses operator actions without a named user', () => {
      spec.given([raised(0)]).when({ type: 'Acknowledge', data: { ...op(1), by: ' ' } }).thenThrows('ALARM.MISSING_ACTOR');
      spec.given([raised(0)]).when({ type: 'Shelve', data: { ...op(1, 'r'), by: '', expiresAt: at(100) } }).thenThrows('ALARM.MISSING_ACTOR');
    });
    it('refuses an empty or overlong comment', () => {
      spec.given([]).when({ type: 'Comment', data: { ...op(1), text: '   ' } }).thenThrows('ALARM.INVALID_COMMENT');
      spec.given([]).when({ type: 'Comment', data: { ...op(1), text: 'x'.repeat(2001) } }).thenThrows('ALARM.INVALID_COMMENT');
    });
  });
});

describe('re-annunciation', () => {
  it('keeps the condition time of the sample, so samples after an unshelve at a later wall-clock time still clear the alarm', () => {
    const unshelvedLater: AlarmEvent[] = [
      raised(0),
      shelved(3),
      { type: 'AlarmUnshelved', data: op(5000, 'repair done') },
      { type: 'AlarmRaised', data: { ...id, at: at(5000), by: 'op-7', reason: 'unshelved; condition still active', value: 85 } },
    ];
    spec.given(unshelvedLater).when(clear(40)).then([cleared(40)]);
  });
});
