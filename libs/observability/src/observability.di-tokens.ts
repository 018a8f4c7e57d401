/** The service's pino Logger. */
export const LOGGER = Symbol.for('reflux.observability.logger');
/** The service's prom-client Registry. */
export const METRICS_REGISTRY = Symbol.for('reflux.observability.metrics-registry');
