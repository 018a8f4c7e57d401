/**
 * The roles a principal can hold. Each RPC declares the roles allowed to call it (any of them);
 * `admin` may call everything.
 * - ingest: data sources writing measurements (historian connectors, edge gateways)
 * - operator: control-room users acting on the live plant (acknowledge alarms, set modes)
 * - planner: production planning and scheduling
 * - integrator: MES/ERP integrations exchanging orders, inventories and results
 * - viewer: read-only dashboards and reports
 */
export const ROLES = ['admin', 'ingest', 'operator', 'planner', 'integrator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** An authenticated caller. */
export interface Principal {
  /** Stable identity: the JWT `sub`, or `apikey:<id>` for an API key. */
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly authenticatedBy: 'jwt' | 'api-key' | 'auth-disabled';
}

/** True when the principal holds one of the required roles, or is an admin. */
export function hasAnyRole(principal: Principal, required: readonly Role[]): boolean {
  return principal.roles.includes('admin') || required.some((role) => principal.roles.includes(role));
}
