/** DI tokens of the balancing module. */
export const BALANCING_APP = Symbol('BALANCING_APP');
export const BALANCING_APP_OPTIONS = Symbol('BALANCING_APP_OPTIONS');
