import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { createLogger } from './logger.factory';
import { createMetricsRegistry } from './metrics.registry';
import { InjectLogger, InjectMetrics, ObservabilityModule } from './observability.module';

@Injectable()
class Handler {
  readonly handled: Counter;
  constructor(@InjectLogger() readonly logger: Logger, @InjectMetrics() registry: Registry) {
    this.handled = new Counter({ name: 'reflux_handled_total', help: 'Handled', registers: [registry] });
  }
}

describe('ObservabilityModule', () => {
  it('injects the logger and registry created at boot into providers', async () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'balancing', destination: { write: (s: string) => void lines.push(s) } });
    const registry = createMetricsRegistry({ service: 'balancing', defaultMetrics: false });
    @Module({ imports: [ObservabilityModule.forRoot({ logger, registry })], providers: [Handler] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      const handler = app.get(Handler);
      handler.handled.inc(2);
      handler.logger.info('handled');
      expect(await registry.getSingleMetricAsString('reflux_handled_total')).toContain('reflux_handled_total{service="balancing"} 2');
      expect(JSON.parse(lines[0])).toMatchObject({ service: 'balancing', msg: 'handled' });
    } finally {
      await app.close();
    }
  });
});
