/** OPC UA StatusCode numbers of the status names the generator emits (Part 4, 7.39; Part 6, A.2). */
const STATUS_CODES: Readonly<Record<string, number>> = {
  Good: 0x00000000,
  Uncertain: 0x40000000,
  Uncertain_EngineeringUnitsExceeded: 0x40940000,
  Uncertain_SensorNotAccurate: 0x40930000,
  Uncertain_LastUsableValue: 0x40900000,
  Bad: 0x80000000,
  Bad_SensorFailure: 0x808c0000,
  Bad_CommunicationError: 0x80050000,
  Bad_OutOfService: 0x808d0000,
};

export function opcUaStatusCode(name: string, quality: 'good' | 'uncertain' | 'bad'): number {
  return STATUS_CODES[name] ?? STATUS_CODES[quality === 'good' ? 'Good' : quality === 'uncertain' ? 'Uncertain' : 'Bad']!;
}
