import { GatewayError } from './gateway.errors';
import { matchesFilter, parseEventFilter } from './event-filter';
import { filterableOf } from './wire-event';

const KNOWN = new Set(['AlarmRaised', 'LossSuspected', 'BalanceReconciled', 'GrossErrorCleared']);
const parse = (query: string) => parseEventFilter(new URLSearchParams(query), KNOWN);

describe('console event filter', () => {
  it('reads comma-separated and repeated values', () => {
    const f = parse('types=AlarmRaised,LossSuspected&units=R-1&units=R-2&areas=north');
    expect([...f.types]).toEqual(['AlarmRaised', 'LossSuspected']);
    expect([...f.units]).toEqual(['R-1', 'R-2']);
    expect([...f.areas]).toEqual(['north']);
  });

  it('rejects unknown types and malformed identifiers field by field', () => {
    let error: unknown;
    try {
      parse('types=AlarmRaised,Nope&units=ok,<script>');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).violations.map((v) => v.field)).toEqual(['types[1]', 'units[1]']);
    expect((error as GatewayError).httpStatus).toBe(400);
  });

  it('keeps events of the chosen units and areas and plant-wide ones, drops those naming others', () => {
    const f = parse('units=R-1&areas=north');
    expect(matchesFilter(f, filterableOf('LossSuspected', { unitId: 'R-1' }))).toBe(true);
    expect(matchesFilter(f, filterableOf('LossSuspected', { unitId: 'R-2' }))).toBe(false);
    expect(matchesFilter(f, filterableOf('GrossErrorCleared', { suspect: { kind: 'loss', unitId: 'R-2' } }))).toBe(false);
    expect(matchesFilter(f, filterableOf('AlarmRaised', { area: 'south' }))).toBe(false);
    expect(matchesFilter(f, filterableOf('AlarmRaised', { area: 'north' }))).toBe(true);
    expect(matchesFilter(f, filterableOf('BalanceReconciled', { plantId: 'p' }))).toBe(true);
    expect(matchesFilter(parse('types=AlarmRaised'), filterableOf('BalanceReconciled', {}))).toBe(false);
  });
});
