import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { startBalancingApp, type BalancingApp, type BalancingAppOptions } from './balancing.app';
import { BALANCING_APP, BALANCING_APP_OPTIONS } from './balancing.di-tokens';

/** Drains gRPC and stops triggers, projection and pool before the Nest application closes. */
@Injectable()
export class BalancingLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(BALANCING_APP) private readonly app: BalancingApp) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.app.stop();
  }
}

/**
 * The balancing service as a NestJS application context: DI of the composed app and its lifecycle
 * (start on creation, drain on SIGTERM with `enableShutdownHooks`). The wiring itself lives in
 * `startBalancingApp`, plain functions that tests use directly.
 */
@Module({})
export class BalancingModule {
  static forRoot(options: BalancingAppOptions): DynamicModule {
    return {
      module: BalancingModule,
      providers: [
        { provide: BALANCING_APP_OPTIONS, useValue: options },
        { provide: BALANCING_APP, inject: [BALANCING_APP_OPTIONS], useFactory: (o: BalancingAppOptions) => startBalancingApp(o) },
        BalancingLifecycle,
      ],
      exports: [BALANCING_APP],
    };
  }
}
