import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { startSupplyChainApp, type SupplyChainApp, type SupplyChainAppOptions } from './supply-chain.app';
import { SUPPLY_CHAIN_APP, SUPPLY_CHAIN_APP_OPTIONS } from './supply-chain.di-tokens';

/** Drains gRPC and stops the consumer, solver, projection and pool before the Nest application closes. */
@Injectable()
export class SupplyChainLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(SUPPLY_CHAIN_APP) private readonly app: SupplyChainApp) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.app.stop();
  }
}

/**
 * The supply-chain service as a NestJS application context: DI of the composed app and its lifecycle
 * (start on creation, drain on SIGTERM with `enableShutdownHooks`). The wiring itself lives in
 * `startSupplyChainApp`, plain functions that tests use directly.
 */
@Module({})
export class SupplyChainModule {
  static forRoot(options: SupplyChainAppOptions): DynamicModule {
    return {
      module: SupplyChainModule,
      providers: [
        { provide: SUPPLY_CHAIN_APP_OPTIONS, useValue: options },
        { provide: SUPPLY_CHAIN_APP, inject: [SUPPLY_CHAIN_APP_OPTIONS], useFactory: (o: SupplyChainAppOptions) => startSupplyChainApp(o) },
        SupplyChainLifecycle,
      ],
      exports: [SUPPLY_CHAIN_APP],
    };
  }
}
