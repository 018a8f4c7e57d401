import { fromSignedInt32, isUsable, isValidStatusCode, severityOf, statusCodeName, StatusCodes, toSignedInt32, worstOf } from './quality';

describe('OPC UA quality codes', () => {
  it('reads the severity from the two top bits', () => {
    expect(severityOf(StatusCodes.Good)).toBe('good');
    expect(severityOf(StatusCodes.GoodClamped)).toBe('good');
    expect(severityOf(StatusCodes.UncertainLastUsableValue)).toBe('uncertain');
    expect(severityOf(StatusCodes.BadSensorFailure)).toBe('bad');
    expect(isUsable(StatusCodes.UncertainSubNormal)).toBe(true);
    expect(isUsable(StatusCodes.BadNoCommunication)).toBe(false);
  });

  it('rejects the reserved severity 11 and values outside 32 bits', () => {
    expect(isValidStatusCode(0xc0000000)).toBe(false);
    expect(isValidStatusCode(2 ** 32)).toBe(false);
    expect(isValidStatusCode(-1)).toBe(false);
    expect(isValidStatusCode(StatusCodes.BadOutOfService)).toBe(true);
  });

  it('names a code regardless of its info bits', () => {
    expect(statusCodeName(StatusCodes.BadSensorFailure | 0x0400)).toBe('BadSensorFailure');
    expect(statusCodeName(0x80aa0000)).toBeUndefined();
  });

  it('picks the worse of two codes and round-trips through int4 storage', () => {
    expect(worstOf(StatusCodes.Good, StatusCodes.UncertainSubstituteValue)).toBe(StatusCodes.UncertainSubstituteValue);
    expect(worstOf(StatusCodes.BadSensorFailure, StatusCodes.UncertainSubstituteValue)).toBe(StatusCodes.BadSensorFailure);
    for (const code of Object.values(StatusCodes)) {
      const stored = toSignedInt32(code);
      expect(stored).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(stored).toBeLessThan(2 ** 31);
      expect(fromSignedInt32(stored)).toBe(code);
    }
  });
});
