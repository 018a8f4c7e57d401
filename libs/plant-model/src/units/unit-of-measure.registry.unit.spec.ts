import {
  convert,
  fromSI,
  normalVolumeFlowToMassFlow,
  spanToSI,
  toSI,
  unitOfMeasure,
  unitsOfMeasure,
  volumeFlowToMassFlow,
} from './unit-of-measure.registry';
import { QUANTITY_KINDS } from './quantity-kind';

describe('unit-of-measure registry', () => {
  it.each([
    [3.6, 't/h', 1],
    [3600, 'kg/h', 1],
    [1, 'kg/s', 1],
    [25, 'degC', 298.15],
    [77, 'degF', 298.15],
    [0, 'barg', 101_325],
    [10, 'barg', 1_101_325],
    [2, 'bar', 200_000],
    [1.5, 'MPa', 1_500_000],
    [101.325, 'kPa', 101_325],
    [12, 'MW', 12e6],
    [3.6, 'GJ/h', 1e6],
    [2776.3, 'kJ/kg', 2_776_300],
    [45, '%', 0.45],
    [1200, 'mm', 1.2],
    [5, 't', 5000],
    [36, 'Nm3/h', 0.01],
    [1500, 'rpm', 25 * 2 * Math.PI],
  ])('converts %p %s to %p SI', (value, unit, expected) => {
    expect(toSI(value, unit)).toBeCloseTo(expected, 9);
    expect(fromSI(expected, unit)).toBeCloseTo(value, 9);
  });

  it('gives every unit a known quantity kind whose SI unit is itself registered', () => {
    for (const unit of unitsOfMeasure()) {
      expect(Object.keys(QUANTITY_KINDS)).toContain(unit.kind);
      const si = unitOfMeasure(QUANTITY_KINDS[unit.kind]);
      expect(si).toMatchObject({ kind: unit.kind, factor: 1, offset: 0 });
    }
  });

  it('converts between units of one kind', () => {
    expect(convert(100, 'degC', 'degF')).toBeCloseTo(212, 9);
    expect(convert(40, 'barg', 'bar')).toBeCloseTo(41.01325, 9);
    expect(convert(90, 't/h', 'kg/s')).toBeCloseTo(25, 12);
  });

  it('treats a spread without the offset: 1 degC of standard deviation is 1 K', () => {
    expect(spanToSI(0.5, 'degC')).toBe(0.5);
    expect(spanToSI(1, 'barg')).toBe(1e5);
  });

  it('turns normal and actual volumetric flows into mass flow with the density', () => {
    expect(normalVolumeFlowToMassFlow(3600, 'Nm3/h', 1.36)).toBeCloseTo(1.36, 12);
    expect(volumeFlowToMassFlow(36, 'm3/h', 800)).toBeCloseTo(8, 12);
    expect(() => normalVolumeFlowToMassFlow(1, 'm3/h', 1)).toThrow(expect.objectContaining({ code: 'UOM.INCOMPATIBLE' }));
  });

  it('rejects an unknown unit with a stable code', () => {
    expect(() => toSI(1, 'furlongs/fortnight')).toThrow(expect.objectContaining({ code: 'UOM.UNKNOWN_UNIT', retriable: false }));
  });

  it('refuses to convert between different quantity kinds', () => {
    expect(() => convert(1, 'kg/s', 'm3/h')).toThrow(expect.objectContaining({ code: 'UOM.INCOMPATIBLE' }));
  });

  it('does not convert normal cubic metres into cubic metres (or their densities): they differ by pressure and temperature', () => {
    expect(() => convert(1, 'Nm3', 'm3')).toThrow(expect.objectContaining({ code: 'UOM.INCOMPATIBLE' }));
    expect(() => convert(1, 'kg/Nm3', 'kg/m3')).toThrow(expect.objectContaining({ code: 'UOM.INCOMPATIBLE' }));
    expect(() => convert(1, 'Nm3/h', 'm3/h')).toThrow(expect.objectContaining({ code: 'UOM.INCOMPATIBLE' }));
    expect(convert(3600, 'Nm3/h', 'Nm3/s')).toBe(1);
  });
});
