import { type EnvVariable, type ParseResult, fail, ok, variable } from './env-variable';

/** One accepted API key: clients send the key itself, the service stores only its SHA-256. */
export interface ApiKeyEntry {
  /** Who the key belongs to (shown in logs and audit records), e.g. `mes-gateway`. */
  readonly name: string;
  /** Lower-case hex SHA-256 of the key (64 characters). */
  readonly sha256Hex: string;
  /** Roles granted to callers presenting the key. */
  readonly roles: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HEX = /^[0-9a-fA-F]{64}$/;
const ROLE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const EXPECTED =
  'API keys as "name:sha256hex:role1|role2,…" or a JSON array of {"name","sha256","roles"}';

/**
 * Parses AUTH_API_KEYS. Two equivalent notations:
 *  - compact: `mes-gateway:<64 hex>:ingest|read,dashboard:<64 hex>:read`
 *  - JSON:    `[{"name":"mes-gateway","sha256":"<64 hex>","roles":["ingest","read"]}]`
 * Names must be unique, hashes must be unique, every key needs at least one role.
 */
export function parseApiKeys(raw: string): ParseResult<ApiKeyEntry[]> {
  let entries: { name: unknown; sha256: unknown; roles: unknown }[];
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (!Array.isArray(parsed)) return fail(EXPECTED);
      entries = parsed.map((e: Record<string, unknown>) => ({ name: e?.name, sha256: e?.sha256, roles: e?.roles }));
    } catch {
      return fail(`${EXPECTED} (invalid JSON)`);
    }
  } else {
    entries = [];
    for (const item of trimmed.split(',').map((s) => s.trim()).filter(Boolean)) {
      const parts = item.split(':');
      if (parts.length !== 3) return fail(`${EXPECTED} (entry #${entries.length + 1} does not have three ":"-separated parts)`);
      entries.push({ name: parts[0], sha256: parts[1], roles: parts[2].split('|').map((r) => r.trim()).filter(Boolean) });
    }
  }
  if (entries.length === 0) return fail(`${EXPECTED} (no entries)`);
  const names = new Set<string>();
  const hashes = new Set<string>();
  const out: ApiKeyEntry[] = [];
  for (const [i, e] of entries.entries()) {
    const where = `entry #${i + 1}`;
    if (typeof e.name !== 'string' || !NAME.test(e.name)) return fail(`${EXPECTED} (${where}: name must match [A-Za-z0-9][A-Za-z0-9_.-]*)`);
    if (typeof e.sha256 !== 'string' || !HEX.test(e.sha256)) return fail(`${EXPECTED} (${where} "${e.name}": sha256 must be 64 hex characters)`);
    if (!Array.isArray(e.roles) || e.roles.length === 0 || !e.roles.every((r) => typeof r === 'string' && ROLE.test(r))) {
      return fail(`${EXPECTED} (${where} "${e.name}": needs at least one role matching [A-Za-z0-9][A-Za-z0-9_.-]*)`);
    }
    const hash = e.sha256.toLowerCase();
    if (names.has(e.name)) return fail(`${EXPECTED} (name "${e.name}" appears twice)`);
    if (hashes.has(hash)) return fail(`${EXPECTED} ("${e.name}" reuses the hash of another key)`);
    names.add(e.name);
    hashes.add(hash);
    out.push({ name: e.name, sha256Hex: hash, roles: [...new Set(e.roles as string[])] });
  }
  return ok(out);
}

/** AUTH_API_KEYS variable: optional; hashes are not secrets but are still not echoed on error. */
export function apiKeys(): EnvVariable<ApiKeyEntry[] | undefined> {
  return variable(EXPECTED, parseApiKeys, { kind: 'optional' }, { secret: true });
}
