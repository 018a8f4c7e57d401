import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createDevelopmentToken, isRole, ROLES, type Role } from '@reflux/grpc';
import { refluxHome } from '../grpc/connection';
import { createOutput } from '../output';

/** `reflux token`: mints a development token from the embedded default's secret (or AUTH_JWT_SECRET). */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a development token signed with the embedded default secret (.reflux/dev-jwt-secret) or AUTH_JWT_SECRET')
    .option('--roles <list>', `comma-separated roles (${ROLES.join(', ')})`, ROLES.join(','))
    .option('--subject <name>', 'the token subject (who the calls are from)', 'reflux-dev')
    .option('--ttl <seconds>', 'lifetime in seconds', String(12 * 3600))
    .option('--home <dir>', 'data directory of the embedded default')
    .option('--json', 'print { token, roles, subject, expiresAt } as JSON')
    .action((o: { roles: string; subject: string; ttl: string; home?: string; json?: boolean }) => {
      const roles = o.roles.split(',').map((r) => r.trim());
      const unknown = roles.filter((r) => !isRole(r));
      if (unknown.length > 0) throw new Error(`--roles: unknown role(s) ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
      const ttl = Number(o.ttl);
      if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`--ttl: expected a positive number of seconds, got "${o.ttl}"`);
      const secretFile = join(refluxHome(o.home), 'dev-jwt-secret');
      const secret = process.env['AUTH_JWT_SECRET'] ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
      if (!secret) throw new Error(`no signing secret: set AUTH_JWT_SECRET or run \`npm start\` once (it creates ${secretFile})`);
      const token = createDevelopmentToken(secret, roles as Role[], o.subject, { ttlSeconds: ttl });
      const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
      createOutput(o.json === true).result({ token, roles, subject: o.subject, expiresAt }, () => token);
    });
}
