import { unitConverter } from './units';

describe('unitConverter', () => {
  it('converts within a quantity kind, offsets included', () => {
    expect(unitConverter('kPa', 'bar')!(250)).toBeCloseTo(2.5, 12);
    expect(unitConverter('degC', 'K')!(25)).toBeCloseTo(298.15, 12);
    expect(unitConverter('t/h', 'kg/s')!(36)).toBeCloseTo(10, 12);
  });

  it('refuses units of different kinds or unknown symbols', () => {
    expect(unitConverter('kg', 'bar')).toBeUndefined();
    expect(unitConverter('furlong', 'm')).toBeUndefined();
  });
});
