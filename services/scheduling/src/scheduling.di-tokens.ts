/** DI tokens of the scheduling module. */
export const SCHEDULING_APP = Symbol('SCHEDULING_APP');
export const SCHEDULING_APP_OPTIONS = Symbol('SCHEDULING_APP_OPTIONS');
