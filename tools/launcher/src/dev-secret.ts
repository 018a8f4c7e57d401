import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The embedded default's JWT signing secret: made once, kept in the data directory (mode 0600) so
 * that tokens printed by one start stay valid after a restart. Never used outside `npm start`.
 */
export function loadOrCreateDevSecret(file: string): string {
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
