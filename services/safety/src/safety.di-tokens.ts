/** DI tokens of the safety module. */
export const SAFETY_APP = Symbol('SAFETY_APP');
export const SAFETY_APP_OPTIONS = Symbol('SAFETY_APP_OPTIONS');
