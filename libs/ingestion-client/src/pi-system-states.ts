/**
 * PI's digital system states (the SYSTEM state set a PI Data Archive stores instead of a value when a
 * point has none) as OPC UA StatusCodes (Part 4, 7.39; Part 6, A.2), so an exported outage is stored
 * as an outage (NaN with a Bad or Uncertain status) instead of being rejected or read as a number.
 * Names are matched without regard to case, spaces, hyphens and underscores.
 */
const STATES: readonly (readonly [string, number])[] = [
  ['Bad', 0x80000000],
  ['Bad Input', 0x80000000],
  ['Bad Output', 0x80000000],
  ['Bad Data', 0x80000000],
  ['Bad Quality', 0x80000000],
  ['Bad Total', 0x80000000],
  ['Comm Fail', 0x80050000], // BadCommunicationError
  ['Comm Failure', 0x80050000],
  ['I/O Timeout', 0x800a0000], // BadTimeout
  ['Timeout', 0x800a0000],
  ['No Data', 0x809b0000], // BadNoData
  ['No Sample', 0x809b0000],
  ['Pt Created', 0x80320000], // BadWaitingForInitialData
  ['Snapshot Lost', 0x809b0000],
  ['Shutdown', 0x808d0000], // BadOutOfService
  ['Out of Serv', 0x808d0000],
  ['Out of Service', 0x808d0000],
  ['Scan Off', 0x808d0000],
  ['Scan Timeout', 0x800a0000],
  ['Not Connect', 0x808a0000], // BadNotConnected
  ['Not Connected', 0x808a0000],
  ['Equip Fail', 0x808b0000], // BadDeviceFailure
  ['Equipment Failure', 0x808b0000],
  ['Failed', 0x808b0000],
  ['Calc Failed', 0x80000000],
  ['Calc Timeout', 0x800a0000],
  ['Configure', 0x80890000], // BadConfigurationError
  ['Invalid Data', 0x80000000],
  ['Over Range', 0x40940000], // UncertainEngineeringUnitsExceeded
  ['Under Range', 0x40940000],
  ['Over UCL', 0x40940000],
  ['Under LCL', 0x40940000],
  ['Manual', 0x40910000], // UncertainSubstituteValue
  ['Substituted', 0x40910000],
  ['Unit Down', 0x808d0000],
  ['Intf Shut', 0x80310000], // BadNoCommunication
  ['Arc Off-line', 0x80310000],
  ['ISU Saw No Data', 0x809b0000],
];

const key = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
const BY_KEY = new Map(STATES.map(([name, code]) => [key(name), code]));

/** The OPC UA StatusCode of a PI system state name ("I/O Timeout", "Comm Fail", "Shutdown", …), or undefined. */
export function piSystemStateCode(name: string): number | undefined {
  return BY_KEY.get(key(name));
}

/** The PI system state names this mapping knows. */
export const PI_SYSTEM_STATE_NAMES: readonly string[] = STATES.map(([name]) => name);
