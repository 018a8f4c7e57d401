import type { Logger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Routes TypeORM's messages to the service's pino logger: failed and slow queries at `warn`,
 * migrations and schema messages at `info`, individual queries at `trace` only.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(query: string): void {
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ query }, 'typeorm query');
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ err: error, query }, 'typeorm query failed');
  }

  logQuerySlow(timeMs: number, query: string): void {
    this.logger.warn({ durationMs: timeMs, query }, 'typeorm slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.info(message);
  }

  logMigration(message: string): void {
    this.logger.info({ component: 'typeorm-migrations' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger[level === 'warn' ? 'warn' : 'info']({ component: 'typeorm' }, String(message));
  }
}
