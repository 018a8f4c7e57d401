export * from './decider';
export * from './domain.error';
export * from './decider.specification';
export * from './deterministic-uuid';
