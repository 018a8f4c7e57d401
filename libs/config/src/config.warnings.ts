import type { PlatformConfig } from './platform.config';

/**
 * Settings that are valid but deserve a loud line in the log at every start, such as running
 * without authentication. Services log each one at `warn`.
 */
export function configWarnings(config: Partial<PlatformConfig>): string[] {
  const warnings: string[] = [];
  if (config.AUTH_DISABLED) {
    warnings.push('AUTH_DISABLED=true: every gRPC call is accepted WITHOUT authentication; never run like this outside a closed test network');
    if (config.AUTH_JWT_SECRET || config.AUTH_JWT_PUBLIC_KEY_FILE || config.AUTH_API_KEYS) {
      warnings.push('AUTH_DISABLED=true overrides the configured AUTH_JWT_*/AUTH_API_KEYS credentials, which are ignored');
    }
  }
  if (config.GRPC_PORT !== undefined && !config.TLS_CERT_FILE && config.GRPC_HOST && !isLoopback(config.GRPC_HOST)) {
    warnings.push(`gRPC listens on ${config.GRPC_HOST} without TLS (TLS_CERT_FILE unset); terminate TLS in front of the service or set TLS_CERT_FILE/TLS_KEY_FILE`);
  }
  return warnings;
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
