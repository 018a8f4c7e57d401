import type { Pool } from 'pg';

/** TimescaleDB releases this storage path supports: `by_range` dimensions (2.13) up to, not including, 3.0. */
export const SUPPORTED_TIMESCALE = { from: '2.13.0', below: '3.0.0' } as const;

export interface TimescaleSupport {
  /** Whether the TimescaleDB storage path can be used in this database. */
  readonly usable: boolean;
  /** Why (not): names what is missing, or the version in use. */
  readonly reason: string;
  /** The installed version, else the one CREATE EXTENSION would install. */
  readonly version: string | null;
}

const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);

/** -1, 0 or 1 as version `a` is below, equal to or above `b` (major.minor.patch; suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

export function versionSupported(version: string): boolean {
  return compareVersions(version, SUPPORTED_TIMESCALE.from) >= 0 && compareVersions(version, SUPPORTED_TIMESCALE.below) < 0;
}

/**
 * Whether TimescaleDB can carry the samples here: its library is preloaded
 * (shared_preload_libraries; without it every hypertable operation fails), the extension is
 * created or this role may create it (a superuser, or CREATE on the database for a trusted
 * extension), and its version lies in SUPPORTED_TIMESCALE.
 */
export async function timescaleSupport(pool: Pool): Promise<TimescaleSupport> {
  const { rows } = await pool.query<{
    preload: string | null;
    loader: boolean;
    installed: string | null;
    available: string | null;
    trusted: boolean | null;
    superuser: boolean;
    may_create: boolean;
  }>(
    // shared_preload_libraries is readable by superusers and pg_read_all_settings only; the GUCs of
    // TimescaleDB's loader exist in every session once the library is preloaded.
    `SELECT CASE WHEN pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') THEN current_setting('shared_preload_libraries') END AS preload,
            current_setting('timescaledb.max_background_workers', true) IS NOT NULL AS loader,
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
            (SELECT v.trusted FROM pg_available_extension_versions v JOIN pg_available_extensions e ON e.name = v.name AND e.default_version = v.version
              WHERE v.name = 'timescaledb') AS trusted,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            has_database_privilege(current_database(), 'CREATE') AS may_create`,
  );
  const r = rows[0];
  const version = r.installed ?? r.available;
  const preloaded = r.preload === null ? r.loader : r.preload.split(',').some((lib) => lib.trim().replace(/^"|"$/g, '') === 'timescaledb');
  const no = (reason: string): TimescaleSupport => ({ usable: false, reason, version });
  if (version === null) return no('the timescaledb extension is not installed on this server');
  if (!preloaded) return no(`timescaledb ${version} is installed but not preloaded (shared_preload_libraries = '${r.preload ?? 'not readable by this role'}')`);
  if (r.installed === null && !(r.superuser || (r.trusted && r.may_create))) {
    return no(`timescaledb ${version} is not created in this database and this role may not create it (CREATE EXTENSION timescaledb as a superuser first)`);
  }
  if (!versionSupported(version)) {
    return no(`timescaledb ${version} is outside the supported range ${SUPPORTED_TIMESCALE.from} <= version < ${SUPPORTED_TIMESCALE.below}`);
  }
  return { usable: true, reason: `timescaledb ${version} ${r.installed ? 'created' : 'available'} and preloaded`, version };
}
