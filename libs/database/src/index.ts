export * from './migrations';
export * from './pool.factory';
export * from './typeorm';
export * from './database-liveness';
