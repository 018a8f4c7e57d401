/**
 * An aggregate as a decider (Jérémie Chassaing's pattern, as used by Emmett): pure functions only.
 * `decide` turns a command into the events it causes given the current state (or throws a
 * `DomainError`), `evolve` folds one event into the state, `initialState` is the state of an empty
 * stream.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events into a state, starting from `decider.initialState()`. */
export function foldEvents<Command, Event, State>(decider: Decider<Command, Event, State>, events: Iterable<Event>): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
