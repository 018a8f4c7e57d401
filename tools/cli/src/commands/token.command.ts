import type { Command } from 'commander';
import { createServiceToken, isRole, ROLES, type Role } from '@reflux/grpc';
import { cliJwtConfig } from '../grpc/connection';
import { createOutput } from '../output';

/**
 * `reflux token`: mints a token from AUTH_JWT_SECRET with the issuer, audience and lifetime cap the
 * servers verify with (AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE, AUTH_JWT_MAX_TOKEN_LIFETIME_S), or from
 * the embedded default's development secret.
 */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a token signed with AUTH_JWT_SECRET (issuer and audience from AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE) or the embedded default secret (.reflux/dev-jwt-secret)')
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
      const jwt = cliJwtConfig(o.home);
      if (!jwt) throw new Error('no signing secret: set AUTH_JWT_SECRET (with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE) or run `npm start` once (it creates .reflux/dev-jwt-secret)');
      const token = createServiceToken(jwt, o.subject, roles as Role[], { ttlSeconds: ttl });
      const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
      createOutput(o.json === true).result({ token, roles, subject: o.subject, expiresAt }, () => token);
    });
}
