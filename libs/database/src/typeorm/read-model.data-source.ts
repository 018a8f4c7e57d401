import type { Logger } from 'pino';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { PinoTypeOrmLogger } from './typeorm.logger';

type EntityTarget = (new (...args: never[]) => unknown) | EntitySchema;
type MigrationClass = new () => MigrationInterface;

export interface ReadModelDataSourceOptions {
  readonly url: string;
  /** `pg_stat_activity.application_name`. */
  readonly applicationName: string;
  readonly entities: readonly EntityTarget[];
  /** Versioned migration classes; names end with a timestamp (`CreateUnitBalances1732300000000`). */
  readonly migrations: readonly MigrationClass[];
  /**
   * Table recording applied TypeORM migrations. One per service keeps services independent in a
   * shared database. Default `typeorm_migrations`.
   */
  readonly migrationsTableName?: string;
  readonly poolMax?: number;
  /** `statement_timeout` of read-model connections, ms; 0 = none. Default 30 000. */
  readonly statementTimeoutMs?: number;
  /** Queries slower than this are logged at warn, ms. Default 1000. */
  readonly slowQueryMs?: number;
  readonly logger?: Logger;
}

/**
 * A TypeORM DataSource for read models (query-side tables), never for the event store. Schema
 * changes come only from versioned migrations: `synchronize` is off, and migrations are run by
 * `runReadModelMigrations` (advisory-locked) rather than TypeORM's unlocked `migrationsRun`.
 */
export function createReadModelDataSource(options: ReadModelDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: [...options.entities] as never[],
    migrations: [...options.migrations],
    migrationsTableName: options.migrationsTableName ?? 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    maxQueryExecutionTime: options.slowQueryMs ?? 1_000,
    logger: options.logger ? new PinoTypeOrmLogger(options.logger) : undefined,
    logging: options.logger ? ['error', 'warn', 'migration', 'schema'] : false,
    extra: {
      max: options.poolMax ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: 10_000,
    },
  });
}
