import { defineUpcaster, UpcasterRegistry } from './upcaster.registry';
import type { RecordedEvent } from './event-store.port';
import { EVENT_STORE_ERROR_CODES } from './event-store.errors';

const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  streamId: 'heater-H1', streamVersion: 4, globalPosition: 99, eventId: 'ev-1', type, schemaVersion, data, metadata: { actor: 'x' }, recordedAt: new Date(1_700_000_000_000),
});

describe('UpcasterRegistry', () => {
  it('applies consecutive steps up to the newest version and keeps identity fields', () => {
    const registry = new UpcasterRegistry([
      defineUpcaster<{ tempC: number }, { temperatureK: number }>('HeaterTemperatureMeasured', 1, (d) => ({ temperatureK: d.tempC + 273.15 })),
      defineUpcaster<{ temperatureK: number }, { temperatureK: number; source: string }>('HeaterTemperatureMeasured', 2, (d) => ({ ...d, source: 'unknown' })),
    ]);
    const event = registry.upcast(stored('HeaterTemperatureMeasured', 1, { tempC: 100 }));
    expect(event).toEqual({ ...stored('HeaterTemperatureMeasured', 3, { temperatureK: 373.15, source: 'unknown' }) });
  });

  it('starts the chain at the stored version and leaves other types alone', () => {
    const registry = new UpcasterRegistry([defineUpcaster('A', 1, () => ({ v: 2 })), defineUpcaster('A', 2, () => ({ v: 3 }))]);
    expect(registry.upcast(stored('A', 2, { v: 'two' }))).toMatchObject({ schemaVersion: 3, data: { v: 3 } });
    const other = stored('B', 1, { x: 1 });
    expect(registry.upcast(other)).toBe(other);
  });

  it('follows a renamed type to the upcasters of the new name', () => {
    const registry = new UpcasterRegistry([
      { type: 'LevelRead', fromSchemaVersion: 1, renamesTo: 'TankLevelMeasured', upcast: (e) => ({ type: 'TankLevelMeasured', data: e.data }) },
      defineUpcaster<{ level: number }, { levelM: number }>('TankLevelMeasured', 2, (d) => ({ levelM: d.level })),
    ]);
    expect(registry.upcast(stored('LevelRead', 1, { level: 3 }))).toMatchObject({ type: 'TankLevelMeasured', schemaVersion: 3, data: { levelM: 3 } });
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(() => new UpcasterRegistry([defineUpcaster('A', 1, () => 1), defineUpcaster('A', 1, () => 2)])).toThrow(expect.objectContaining({ code: EVENT_STORE_ERROR_CODES.UPCAST_FAILED }));
  });

  it('names every stored type that upcasts into the handled types, following renames through chains', () => {
    const registry = new UpcasterRegistry([
      defineUpcaster('LevelRead', 1, (d) => d, { renamesTo: 'TankLevelRead' }),
      defineUpcaster('TankLevelRead', 2, (d) => d, { renamesTo: 'TankLevelMeasured' }),
      defineUpcaster('TankLevelMeasured', 3, (d) => d),
      defineUpcaster('PumpStarted', 1, (d) => d, { renamesTo: 'PumpRunning' }),
    ]);
    expect(registry.storedTypesOf(['TankLevelMeasured']).sort()).toEqual(['LevelRead', 'TankLevelMeasured', 'TankLevelRead']);
    expect(registry.storedTypesOf(['PumpStopped'])).toEqual(['PumpStopped']);
  });

  it('fails an upcaster that renames a type without declaring renamesTo', () => {
    const registry = new UpcasterRegistry([{ type: 'LevelRead', fromSchemaVersion: 1, upcast: (e) => ({ type: 'TankLevelMeasured', data: e.data }) }]);
    expect(() => registry.upcast(stored('LevelRead', 1, {}))).toThrow(expect.objectContaining({ code: EVENT_STORE_ERROR_CODES.UPCAST_FAILED }));
  });
});
