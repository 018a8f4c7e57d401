import { type HealthStatusRegistry, OVERALL_SERVICE } from './health.service';

/** The part of @reflux/observability's ComponentHealth the health service follows. */
export interface ComponentHealthSource {
  healthy(): boolean;
  onChange(listener: () => void): () => void;
}

/**
 * Makes gRPC health follow the service's components: when a consumer or subscription has stopped
 * or failed, the overall status and each named service turn NOT_SERVING, and SERVING again once
 * every component runs. Call after the server has started (it reports SERVING when ready); returns
 * the unbinding function.
 */
export function bindComponentHealth(health: HealthStatusRegistry, components: ComponentHealthSource, services: readonly string[]): () => void {
  const apply = (): void => {
    const status = components.healthy() ? 'SERVING' : 'NOT_SERVING';
    for (const service of [OVERALL_SERVICE, ...services]) health.set(service, status);
  };
  apply();
  return components.onChange(apply);
}
