import { Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationBootstrap, type OptionalFactoryDependency } from '@nestjs/common';
import { GrpcPlatformServer, type GrpcPlatformServerOptions } from '../server/grpc-platform.server';

/** Injection token of the process's GrpcPlatformServer. */
export const GRPC_PLATFORM_SERVER = Symbol('GRPC_PLATFORM_SERVER');

export interface GrpcPlatformModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => GrpcPlatformServerOptions | Promise<GrpcPlatformServerOptions>;
}

/**
 * Starts the server once every module has initialised (adapters call `addService` in their
 * `onModuleInit`) and drains it before the application shuts down (call `app.enableShutdownHooks()`
 * so SIGTERM reaches it).
 */
@Injectable()
export class GrpcPlatformLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(GRPC_PLATFORM_SERVER) private readonly server: GrpcPlatformServer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.server.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server.shutdown();
  }
}

/**
 * NestJS wrapper of GrpcPlatformServer (global module).
 *
 * ```ts
 * GrpcPlatformModule.forRootAsync({ inject: [CONFIG, LOGGER, REGISTRY], useFactory: (c, logger, registry) => ({ config: c.grpc, logger, metricsRegistry: registry }) })
 * // in an adapter: constructor(@Inject(GRPC_PLATFORM_SERVER) server: GrpcPlatformServer) {}
 * //                onModuleInit() { this.server.addService(pkg, 'reflux.x.v1.XService', {...}) }
 * ```
 */
@Module({})
export class GrpcPlatformModule {
  static forRootAsync(options: GrpcPlatformModuleOptions): DynamicModule {
    return {
      module: GrpcPlatformModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: GRPC_PLATFORM_SERVER,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => new GrpcPlatformServer(await options.useFactory(...args)),
        },
        GrpcPlatformLifecycle,
      ],
      exports: [GRPC_PLATFORM_SERVER],
    };
  }
}
