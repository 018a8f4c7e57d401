/** DI tokens of the supply-chain module. */
export const SUPPLY_CHAIN_APP = Symbol('SUPPLY_CHAIN_APP');
export const SUPPLY_CHAIN_APP_OPTIONS = Symbol('SUPPLY_CHAIN_APP_OPTIONS');
