import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@reflux/config';
import { watchPeerAccess } from '@reflux/grpc';
import { startObservability } from '@reflux/observability';
import { IngestionSampleHistory } from './adapters/history/ingestion.sample-history';
import { safetyAppOptions } from './safety.app';
import { safetyConfigSchema } from './safety.config';
import { SafetyModule } from './safety.module';

/**
 * Process entry: configuration (exit 78 naming every bad variable), logs, metrics (METRICS_PORT)
 * and traces, the Nest application context, and a drain on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(safetyConfigSchema);
  const observability = await startObservability(config);
  const { logger } = observability;
  const options = safetyAppOptions(config, logger);
  // Refuse to start when ingestion would refuse safety's token (mismatched AUTH_JWT_* settings);
  // an ingestion not up yet is checked again until it answers, and a refusal then stops the process.
  let stopAccessWatch = () => {};
  let onRefused = (error: unknown): void => {
    logger.fatal({ err: error }, (error as Error).message);
    process.exit(1);
  };
  if (options.history instanceof IngestionSampleHistory) {
    const history = options.history;
    const access = await history.verifyAccess();
    if (!access.reachable) {
      logger.warn({ ingestion: config.INGESTION_ADDRESS, reason: access.reason }, 'ingestion not reachable at start; checking its acceptance of our token until it answers');
      stopAccessWatch = watchPeerAccess({ check: () => history.verifyAccess(), intervalMs: 5_000, logger, peer: config.INGESTION_ADDRESS, onRefused: (error) => onRefused(error) });
    }
  }
  const app = await NestFactory.createApplicationContext(SafetyModule.forRoot({ ...options, metricsRegistry: observability.registry }), { logger: false, abortOnError: false });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  let stopping = false;
  const stop = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    stopAccessWatch();
    logger.info({ signal }, 'safety service stopping');
    void app
      .close()
      .then(() => observability.stop())
      .then(
        () => process.exit(code),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  onRefused = (error) => {
    logger.fatal({ err: error }, (error as Error).message);
    stop('ingestion refuses our token', 1);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'safety service failed to start', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
