/**
 * Sample quality as an OPC UA StatusCode (Part 4, 7.34): a 32-bit unsigned integer whose two top bits
 * give the severity (00 good, 01 uncertain, 10 bad; 11 is reserved) and whose bits 16..27 name the
 * sub-status. Codes are kept as unsigned numbers in the domain; storage converts to int4.
 */
export type QualitySeverity = 'good' | 'uncertain' | 'bad';

export const StatusCodes = {
  Good: 0x00000000,
  GoodClamped: 0x00300000,
  GoodLocalOverride: 0x00960000,
  Uncertain: 0x40000000,
  UncertainNoCommunicationLastUsableValue: 0x408f0000,
  UncertainLastUsableValue: 0x40900000,
  UncertainSubstituteValue: 0x40910000,
  UncertainInitialValue: 0x40920000,
  UncertainSensorNotAccurate: 0x40930000,
  UncertainEngineeringUnitsExceeded: 0x40940000,
  UncertainSubNormal: 0x40950000,
  Bad: 0x80000000,
  BadCommunicationError: 0x80050000,
  BadNoCommunication: 0x80310000,
  BadWaitingForInitialData: 0x80320000,
  BadConfigurationError: 0x80890000,
  BadNotConnected: 0x808a0000,
  BadDeviceFailure: 0x808b0000,
  BadSensorFailure: 0x808c0000,
  BadOutOfService: 0x808d0000,
  BadNoData: 0x809b0000,
} as const;

export type StatusCodeName = keyof typeof StatusCodes;

const names = new Map<number, StatusCodeName>(
  (Object.entries(StatusCodes) as [StatusCodeName, number][]).map(([name, code]) => [code, name]),
);

/** True for a 32-bit unsigned integer whose severity bits are not the reserved `11`. */
export function isValidStatusCode(code: number): boolean {
  return Number.isInteger(code) && code >= 0 && code <= 0xffffffff && code >>> 30 !== 3;
}

export function severityOf(code: number): QualitySeverity {
  const top = code >>> 30;
  return top === 0 ? 'good' : top === 1 ? 'uncertain' : 'bad';
}

/** Good or uncertain: the value may be used in statistics and interpolation. */
export function isUsable(code: number): boolean {
  return code >>> 30 < 2;
}

/** The known name of a code (sub-status and severity), ignoring the info bits (0..15). */
export function statusCodeName(code: number): StatusCodeName | undefined {
  return names.get((code & 0xffff0000) >>> 0);
}

/** The worse of two codes (bad < uncertain < good); used for derived values. */
export function worstOf(a: number, b: number): number {
  return a >>> 30 >= b >>> 30 ? a : b;
}

/** int4 column value ↔ unsigned StatusCode. */
export const toSignedInt32 = (code: number): number => code | 0;
export const fromSignedInt32 = (stored: number): number => stored >>> 0;
