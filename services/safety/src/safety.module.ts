import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { startSafetyApp, type SafetyApp, type SafetyAppOptions } from './safety.app';
import { SAFETY_APP, SAFETY_APP_OPTIONS } from './safety.di-tokens';

/** Drains gRPC and stops the consumer, timer, projection and pool before the Nest application closes. */
@Injectable()
export class SafetyLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(SAFETY_APP) private readonly app: SafetyApp) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.app.stop();
  }
}

/**
 * The safety service as a NestJS application context: DI of the composed app and its lifecycle
 * (start on creation, drain on SIGTERM with `enableShutdownHooks`). The wiring itself lives in
 * `startSafetyApp`, plain functions that tests use directly.
 */
@Module({})
export class SafetyModule {
  static forRoot(options: SafetyAppOptions): DynamicModule {
    return {
      module: SafetyModule,
      providers: [
        { provide: SAFETY_APP_OPTIONS, useValue: options },
        { provide: SAFETY_APP, inject: [SAFETY_APP_OPTIONS], useFactory: (o: SafetyAppOptions) => startSafetyApp(o) },
        SafetyLifecycle,
      ],
      exports: [SAFETY_APP],
    };
  }
}
