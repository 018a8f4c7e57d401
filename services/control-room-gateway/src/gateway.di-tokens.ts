export const GATEWAY_APP = Symbol('GATEWAY_APP');
export const GATEWAY_APP_OPTIONS = Symbol('GATEWAY_APP_OPTIONS');
