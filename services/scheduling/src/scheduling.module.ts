import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { startSchedulingApp, type SchedulingApp, type SchedulingAppOptions } from './scheduling.app';
import { SCHEDULING_APP, SCHEDULING_APP_OPTIONS } from './scheduling.di-tokens';

/** Cancels running jobs, drains gRPC and stops the consumer, projection and pool before the Nest application closes. */
@Injectable()
export class SchedulingLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(SCHEDULING_APP) private readonly app: SchedulingApp) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.app.stop();
  }
}

/**
 * The scheduling service as a NestJS application context: DI of the composed app and its
 * lifecycle. The wiring itself lives in `startSchedulingApp`, plain functions that tests use directly.
 */
@Module({})
export class SchedulingModule {
  static forRoot(options: SchedulingAppOptions): DynamicModule {
    return {
      module: SchedulingModule,
      providers: [
        { provide: SCHEDULING_APP_OPTIONS, useValue: options },
        { provide: SCHEDULING_APP, inject: [SCHEDULING_APP_OPTIONS], useFactory: (o: SchedulingAppOptions) => startSchedulingApp(o) },
        SchedulingLifecycle,
      ],
      exports: [SCHEDULING_APP],
    };
  }
}
