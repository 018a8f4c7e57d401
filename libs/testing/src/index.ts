export * from './child-process';
export * from './containers';
export * from './kafka-mock';
export * from './ports';
export * from './postgres';
export * from './redis';
export * from './tcp-proxy';
export * from './timescale-postgres';
