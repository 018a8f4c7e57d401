import { invalid, type FieldViolation } from './gateway.errors';

/** What one console shows: event types, units and areas (each empty = all). */
export interface EventFilter {
  readonly types: ReadonlySet<string>;
  readonly units: ReadonlySet<string>;
  readonly areas: ReadonlySet<string>;
}

/** The parts of an event a filter looks at. */
export interface FilterableEvent {
  readonly type: string;
  /** Units the event names (`unitId`, a suspect's `unitId`, `units`); empty for plant-wide events. */
  readonly unitIds: readonly string[];
  /** Areas the event names (`area`); empty when it names none. */
  readonly areas: readonly string[];
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const MAX_VALUES = 200;

/**
 * Parses `types`, `units` and `areas` (comma-separated, repeatable). Unknown types and malformed
 * identifiers are rejected field by field.
 */
export function parseEventFilter(query: URLSearchParams, knownTypes: ReadonlySet<string>): EventFilter {
  const violations: FieldViolation[] = [];
  const list = (name: string, check: (value: string) => string | undefined): Set<string> => {
    const values = query
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    if (values.length > MAX_VALUES) violations.push({ field: name, description: `at most ${MAX_VALUES} values` });
    values.forEach((value, i) => {
      const problem = check(value);
      if (problem) violations.push({ field: `${name}[${i}]`, description: `${JSON.stringify(value.slice(0, 80))} ${problem}` });
    });
    return new Set(values);
  };
  const identifier = (v: string) => (IDENTIFIER.test(v) ? undefined : 'is not an identifier (letters, digits, . _ : / -)');
  const types = list('types', (v) => (knownTypes.has(v) ? undefined : `is not an integration event type; known: ${[...knownTypes].sort().join(', ')}`));
  const units = list('units', identifier);
  const areas = list('areas', identifier);
  if (violations.length > 0) throw invalid(violations);
  return { types, units, areas };
}

/**
 * Whether a console with this filter shows the event. A unit or area filter removes events that name
 * other units or areas; plant-wide events (naming none, such as a reconciled balance) stay, since
 * every console shows the plant's state.
 */
export function matchesFilter(filter: EventFilter, event: FilterableEvent): boolean {
  if (filter.types.size > 0 && !filter.types.has(event.type)) return false;
  if (filter.units.size > 0 && event.unitIds.length > 0 && !event.unitIds.some((u) => filter.units.has(u))) return false;
  if (filter.areas.size > 0 && event.areas.length > 0 && !event.areas.some((a) => filter.areas.has(a))) return false;
  return true;
}
