import { AssertionError } from 'node:assert';
import type { Decider } from './decider';
import { foldEvents } from './decider';
import { DeciderSpecification } from './decider.specification';
import { DomainError } from './domain.error';

// A small alarm aggregate, the kind a control room acknowledges.
type AlarmCommand = { type: 'RaiseAlarm'; data: { tag: string; valueBar: number } } | { type: 'AcknowledgeAlarm'; data: { by: string } };
type AlarmEvent = { type: 'AlarmRaised'; data: { tag: string; valueBar: number } } | { type: 'AlarmAcknowledged'; data: { by: string } };
type AlarmState = { status: 'none' | 'active' | 'acknowledged' };

class AlarmNotActiveError extends DomainError {
  constructor() {
    super('ALARM.NOT_ACTIVE', 'no active alarm to acknowledge');
  }
}

const alarm: Decider<AlarmCommand, AlarmEvent, AlarmState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'RaiseAlarm':
        return state.status === 'active' ? [] : [{ type: 'AlarmRaised', data: command.data }];
      case 'AcknowledgeAlarm':
        if (state.status !== 'active') throw new AlarmNotActiveError();
        return [{ type: 'AlarmAcknowledged', data: command.data }];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AlarmRaised':
        return { status: 'active' };
      case 'AlarmAcknowledged':
        return { status: 'acknowledged' };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

const spec = DeciderSpecification.for(alarm);
const raised: AlarmEvent = { type: 'AlarmRaised', data: { tag: 'PT-101', valueBar: 42.5 } };
const acknowledge: AlarmCommand = { type: 'AcknowledgeAlarm', data: { by: 'operator-7' } };

describe('DeciderSpecification', () => {
  it('passes when decide returns exactly the expected events for the folded history', () => {
    expect(() => spec.given([raised]).when(acknowledge).then([{ type: 'AlarmAcknowledged', data: { by: 'operator-7' } }])).not.toThrow();
  });

  it('fails with an AssertionError when the events differ', () => {
    expect(() => spec.given([raised]).when(acknowledge).then([{ type: 'AlarmAcknowledged', data: { by: 'someone-else' } }])).toThrow(AssertionError);
    expect(() => spec.given([raised]).when(acknowledge).then([])).toThrow(AssertionError);
  });

  it('thenNothingHappens passes on an idempotent command and fails otherwise', () => {
    expect(() => spec.given([raised]).when({ type: 'RaiseAlarm', data: { tag: 'PT-101', valueBar: 43 } }).thenNothingHappens()).not.toThrow();
    expect(() => spec.given([]).when({ type: 'RaiseAlarm', data: { tag: 'PT-101', valueBar: 43 } }).thenNothingHappens()).toThrow(AssertionError);
  });

  it('thenThrows matches by stable code, by class and by predicate, and returns the error', () => {
    const error = spec.given([]).when(acknowledge).thenThrows('ALARM.NOT_ACTIVE');
    expect(error).toBeInstanceOf(AlarmNotActiveError);
    expect(() => spec.given([raised, { type: 'AlarmAcknowledged', data: { by: 'x' } }]).when(acknowledge).thenThrows(AlarmNotActiveError)).not.toThrow();
    expect(() => spec.given([]).when(acknowledge).thenThrows(DomainError)).not.toThrow();
    expect(() => spec.given([]).when(acknowledge).thenThrows((e) => (e as DomainError).retriable === false)).not.toThrow();
  });

  it('thenThrows fails when decide throws a different code', () => {
    expect(() => spec.given([]).when(acknowledge).thenThrows('ALARM.SHELVED')).toThrow(/threw AlarmNotActiveError \[ALARM.NOT_ACTIVE\].*expected an error with code ALARM.SHELVED/);
  });

  it('thenThrows fails when decide returns events instead of throwing', () => {
    expect(() => spec.given([raised]).when(acknowledge).thenThrows('ALARM.NOT_ACTIVE')).toThrow(/returned .*AlarmAcknowledged.* instead of throwing/);
  });

  it('foldEvents starts from initialState and applies evolve in order', () => {
    expect(foldEvents(alarm, [])).toEqual({ status: 'none' });
    expect(foldEvents(alarm, [raised, { type: 'AlarmAcknowledged', data: { by: 'x' } }])).toEqual({ status: 'acknowledged' });
  });
});

describe('DomainError', () => {
  it('carries a stable code, the retriable flag, details and the subclass name', () => {
    const e = new DomainError('TANK.OVERFILL', 'level above 95 %', { retriable: true, details: { levelPercent: 97 } });
    expect(e).toMatchObject({ code: 'TANK.OVERFILL', retriable: true, details: { levelPercent: 97 }, name: 'DomainError' });
    expect(new AlarmNotActiveError()).toMatchObject({ name: 'AlarmNotActiveError', retriable: false });
  });
});
