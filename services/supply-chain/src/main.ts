import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@reflux/config';
import { startObservability } from '@reflux/observability';
import { supplyChainAppOptions } from './supply-chain.app';
import { supplyChainConfigSchema } from './supply-chain.config';
import { SupplyChainModule } from './supply-chain.module';

/**
 * Process entry: configuration (exit 78 naming every bad variable), logs, metrics (METRICS_PORT)
 * and traces, the Nest application context, and a drain on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(supplyChainConfigSchema);
  const observability = await startObservability(config);
  const { logger } = observability;
  const app = await NestFactory.createApplicationContext(SupplyChainModule.forRoot({ ...supplyChainAppOptions(config, logger), metricsRegistry: observability.registry }), { logger: false });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'supply-chain service stopping');
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
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'supply-chain service failed to start', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
