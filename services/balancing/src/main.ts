import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@reflux/config';
import { startObservability } from '@reflux/observability';
import { IngestionHistorySource } from './adapters/history/ingestion.history-source';
import { balancingAppOptions } from './balancing.app';
import { balancingConfigSchema } from './balancing.config';
import { BalancingModule } from './balancing.module';

/**
 * Process entry: configuration (exit 78 naming every bad variable), logs, metrics (METRICS_PORT)
 * and traces, the Nest application context, and a drain on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(balancingConfigSchema);
  const observability = await startObservability(config);
  const { logger } = observability;
  const options = balancingAppOptions(config, logger);
  // Refuse to start when ingestion would refuse balancing's token (mismatched AUTH_JWT_* settings).
  if (options.history instanceof IngestionHistorySource) {
    const access = await options.history.verifyAccess();
    if (!access.reachable) logger.warn({ ingestion: config.INGESTION_ADDRESS, reason: access.reason }, 'ingestion not reachable at start; its acceptance of our token is checked at the first history read');
  }
  const app = await NestFactory.createApplicationContext(BalancingModule.forRoot({ ...options, metricsRegistry: observability.registry }), { logger: false, abortOnError: false });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'balancing service stopping');
    void app
      .close()
      .then(() => observability.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'balancing service failed to start', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
