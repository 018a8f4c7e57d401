import { fmt } from './api';

describe('numbers on the page', () => {
  it('keeps the zeros of whole numbers (1000 t is not 1 t) and drops only trailing decimal zeros', () => {
    expect(fmt(1000, 't')).toBe('1000 t');
    expect(fmt(100, 'kg/s')).toBe('100 kg/s');
    expect(fmt(20.25, 'kg/s')).toBe('20.25 kg/s');
    expect(fmt(12.5, 'kg/s')).toBe('12.5 kg/s');
    expect(fmt(14, 'kg/s')).toBe('14 kg/s');
    expect(fmt(0, '%')).toBe('0 %');
  });

  it('writes large amounts whole with separators, and tiny or huge ones with an exponent', () => {
    expect(fmt(125_000, 'EUR')).toBe('125,000 EUR');
    expect(fmt(9999.9, 't')).toBe('10,000 t');
    expect(fmt(1234.5, 't')).toBe('1235 t');
    expect(fmt(1.5e10, 'W')).toBe('1.500e+10 W');
    expect(fmt(1e-5, 'kg/kg')).toBe('1.000e-5 kg/kg');
    expect(fmt(Number.NaN, 't')).toBe('—');
  });
});
