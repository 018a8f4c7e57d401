import { deepStrictEqual, AssertionError } from 'node:assert';
import type { Decider } from './decider';
import { foldEvents } from './decider';

/** Error class, or the stable `code` the error must carry, or a predicate over the error. */
export type ExpectedError = string | (abstract new (...args: never[]) => Error) | ((error: unknown) => boolean);

export interface WhenStep<Event> {
  /** Asserts that `decide` returns exactly these events (deep equality, in order). */
  then(expected: readonly Event[]): void;
  /** Asserts that `decide` produces no event (an idempotent command). */
  thenNothingHappens(): void;
  /** Asserts that `decide` throws an error matching `expected`; returns the error for further checks. */
  thenThrows(expected: ExpectedError): unknown;
}

export interface GivenStep<Command, Event> {
  when(command: Command): WhenStep<Event>;
}

export interface DeciderSpecification<Command, Event> {
  given(events: readonly Event[]): GivenStep<Command, Event>;
}

/**
 * Specification helper that reads as a test: `spec.given([...]).when(command).then([...])`.
 * Framework-free: a failed expectation throws `node:assert`'s `AssertionError`, which Jest (and any
 * other runner) reports with a diff.
 *
 * ```ts
 * const spec = DeciderSpecification.for(alarmDecider);
 * spec.given([raised]).when(acknowledge).then([acknowledged]);
 * spec.given([]).when(acknowledge).thenThrows('ALARM.NOT_RAISED');
 * ```
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>): DeciderSpecification<Command, Event> {
    return {
      given(events) {
        return {
          when(command) {
            const run = (): readonly Event[] => decider.decide(command, foldEvents(decider, events));
            return {
              then(expected) {
                deepStrictEqual(run(), expected);
              },
              thenNothingHappens() {
                deepStrictEqual(run(), []);
              },
              thenThrows(expected) {
                let produced: readonly Event[];
                try {
                  produced = run();
                } catch (error) {
                  if (!matches(error, expected)) {
                    throw new AssertionError({ message: `decide threw ${describe(error)}, expected ${describeExpected(expected)}`, actual: error, expected });
                  }
                  return error;
                }
                throw new AssertionError({ message: `decide returned ${JSON.stringify(produced)} instead of throwing ${describeExpected(expected)}`, actual: produced, expected });
              },
            };
          },
        };
      },
    };
  },
};

function matches(error: unknown, expected: ExpectedError): boolean {
  if (typeof expected === 'string') return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === expected;
  if (isClass(expected)) return error instanceof expected;
  return expected(error);
}

function isClass(value: ExpectedError): value is abstract new (...args: never[]) => Error {
  return typeof value === 'function' && (value === Error || value.prototype instanceof Error);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
  }
  return String(error);
}

function describeExpected(expected: ExpectedError): string {
  if (typeof expected === 'string') return `an error with code ${expected}`;
  if (isClass(expected)) return `an instance of ${expected.name}`;
  return 'an error matching the predicate';
}
