import { integrationEvents } from '@reflux/contracts';
import { causedByCommand, causedByEvent, withCausation } from './causation';

const event = (meta: { correlationId?: string; causationId?: string } = {}) =>
  integrationEvents.create('PlantModelVersioned', { plantId: 'p', version: 1 }, { source: 'plant-model', subject: 'plant-model-p', ...meta });

describe('causation of integration events', () => {
  it('names the causing event and carries its correlation id on', () => {
    const cause = event({ correlationId: 'corr-1' });
    expect(causedByEvent(cause)).toEqual({ causationId: cause.eventId, correlationId: 'corr-1' });
  });

  it('names the request id of a command as the cause and leaves the correlation to default', () => {
    expect(causedByCommand('req-7')).toEqual({ causationId: 'req-7' });
    expect(causedByCommand(undefined)).toEqual({});
    expect(causedByCommand('req-7', 'corr-2')).toEqual({ causationId: 'req-7', correlationId: 'corr-2' });
  });

  it('fills in causation and replaces only a default correlation id', () => {
    const cause = event({ correlationId: 'corr-1' });
    const plain = event();
    expect(withCausation(plain, causedByEvent(cause))).toMatchObject({ eventId: plain.eventId, causationId: cause.eventId, correlationId: 'corr-1' });
  });

  it('keeps the causation and correlation the producer set itself', () => {
    const own = event({ correlationId: 'mine', causationId: 'also-mine' });
    expect(withCausation(own, { causationId: 'other', correlationId: 'other' })).toBe(own);
    expect(withCausation(own, undefined)).toBe(own);
  });
});
