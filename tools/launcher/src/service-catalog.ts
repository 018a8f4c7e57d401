import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A Reflux service the launcher can run, with its default port on 127.0.0.1. */
export interface ServiceEntry {
  readonly name: string;
  readonly defaultPort: number;
  /**
   * `grpc`: GRPC_PORT, ready when grpc.health.v1 answers SERVING. `http`: HTTP_PORT, ready when
   * `GET /readyz` answers 200 (the control-room gateway).
   */
  readonly protocol: 'grpc' | 'http';
  /** Environment variable that overrides the port, e.g. REFLUX_INGESTION_PORT. */
  readonly portVariable: string;
  readonly entry: string;
  /** Node.js flags of the service process. */
  readonly nodeArgs: readonly string[];
  /** Variables of this service only, for the demo plant being run (unless already set). */
  readonly env: (plant: string) => Record<string, string>;
}

const DEFAULT_PORTS: Record<string, number> = {
  ingestion: 50051,
  balancing: 50052,
  scheduling: 50053,
  safety: 50054,
  'supply-chain': 50055,
  'control-room-gateway': 8080,
};

/** Services that serve HTTP instead of gRPC. */
const HTTP_SERVICES: ReadonlySet<string> = new Set(['control-room-gateway']);

/**
 * Ingestion keeps a few batches of samples alive for a round trip to the database; a larger young
 * generation lets them die there instead of being promoted, which made the old generation's
 * collections pause acknowledgements for hundreds of ms (bench/ingestion: p99 about 0.5–0.8 s
 * without, about 0.2 s with). The deployment files set the same flag.
 */
const NODE_ARGS: Record<string, readonly string[]> = {
  ingestion: ['--max-semi-space-size=64'],
};

/**
 * Safety evaluates alarms with the demo plant's shipped alarm configuration. Scheduling plans the
 * demo plant from its MILP production model, publishes a first schedule at start-up and publishes
 * each re-plan (a trip of the simulator's machine) at once; it plans with the balancing service's
 * reconciled yields through BALANCING_ADDRESS, which main.ts gives every service with the other
 * gRPC addresses (`<SERVICE>_ADDRESS`). Supply chain coordinates the demo network
 * (both demo plants as central sites).
 */
const SERVICE_ENV: Record<string, (root: string, plant: string) => Record<string, string>> = {
  safety: (root, plant) => ({ ALARM_CONFIG_FILES: join(root, 'services', 'safety', 'config', `demo-${plant}.alarms.json`) }),
  scheduling: (root, plant) => ({
    PRODUCTION_MODEL_FILES: join(root, 'services', 'scheduling', 'examples', `${plant}.milp.json`),
    SCHEDULING_PLAN_ON_START: 'true',
    SCHEDULING_AUTO_PUBLISH: 'true',
  }),
  'supply-chain': (root) => ({ SUPPLY_NETWORK_FILE: join(root, 'services', 'supply-chain', 'config', 'demo-network.json') }),
};

/** Services that exist in this checkout (those with a `src/main.ts`), in port order. */
export function discoverServices(root: string): ServiceEntry[] {
  return Object.entries(DEFAULT_PORTS)
    .map(([name, defaultPort]) => ({
      name,
      defaultPort,
      protocol: HTTP_SERVICES.has(name) ? ('http' as const) : ('grpc' as const),
      portVariable: `REFLUX_${name.toUpperCase().replace(/-/g, '_')}_PORT`,
      entry: join(root, 'services', name, 'src', 'main.ts'),
      nodeArgs: NODE_ARGS[name] ?? [],
      env: (plant: string) => SERVICE_ENV[name]?.(root, plant) ?? {},
    }))
    .filter((s) => existsSync(s.entry));
}

export function portOf(service: ServiceEntry, env: NodeJS.ProcessEnv): number {
  const raw = env[service.portVariable];
  if (raw === undefined || raw === '') return service.defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${service.portVariable}: expected an integer 1..65535, got "${raw}"`);
  }
  return port;
}
