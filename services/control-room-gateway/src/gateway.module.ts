import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { startGatewayApp, type GatewayApp, type GatewayAppOptions } from './gateway.app';
import { GATEWAY_APP, GATEWAY_APP_OPTIONS } from './gateway.di-tokens';

/** Closes the HTTP server, the streams and the pool before the Nest application closes. */
@Injectable()
export class GatewayLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(GATEWAY_APP) private readonly app: GatewayApp) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.app.stop();
  }
}

/** The control-room gateway as a NestJS application context; the wiring lives in `startGatewayApp`, which tests use directly. */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayAppOptions): DynamicModule {
    return {
      module: GatewayModule,
      providers: [
        { provide: GATEWAY_APP_OPTIONS, useValue: options },
        { provide: GATEWAY_APP, inject: [GATEWAY_APP_OPTIONS], useFactory: (o: GatewayAppOptions) => startGatewayApp(o) },
        GatewayLifecycle,
      ],
      exports: [GATEWAY_APP],
    };
  }
}
