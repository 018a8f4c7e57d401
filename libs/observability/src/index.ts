export * from './log-redaction';
export * from './logger.factory';
export * from './metrics.registry';
export * from './metrics.server';
export * from './observability';
export * from './trace-context';
export * from './tracing';
