import { type DynamicModule, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { LOGGER, METRICS_REGISTRY } from './observability.di-tokens';

/** `constructor(@InjectLogger() logger: Logger)` */
export const InjectLogger = (): ParameterDecorator => Inject(LOGGER);
/** `constructor(@InjectMetrics() registry: Registry)` */
export const InjectMetrics = (): ParameterDecorator => Inject(METRICS_REGISTRY);

@Module({})
export class ObservabilityModule {
  /**
   * Makes the logger and metrics registry created in main.ts (by `startObservability`) injectable
   * everywhere. Starting and stopping stays with main.ts: observability outlives the Nest
   * application, so shutdown logs and final metrics are not lost.
   */
  static forRoot(observability: { readonly logger: Logger; readonly registry: Registry }): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      providers: [
        { provide: LOGGER, useValue: observability.logger },
        { provide: METRICS_REGISTRY, useValue: observability.registry },
      ],
      exports: [LOGGER, METRICS_REGISTRY],
    };
  }
}
