import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@reflux/config';
import { createLogger } from '@reflux/observability';
import { balancingAppOptions } from './balancing.app';
import { balancingConfigSchema } from './balancing.config';
import { BalancingModule } from './balancing.module';

/** Process entry: configuration (exit 78 naming every bad variable), logger, Nest context, SIGTERM drain. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(balancingConfigSchema);
  const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const app = await NestFactory.createApplicationContext(BalancingModule.forRoot(balancingAppOptions(config, logger)), { logger: false });
  app.enableShutdownHooks();
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'balancing service failed to start', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
