export * from './migrations';
export * from './pool.factory';
export * from './pool.ssl';
export * from './typeorm';
export * from './database-liveness';
