import 'reflect-metadata';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { createDevelopmentToken } from '../auth/development-token';
import { type GrpcPlatformServer } from '../server/grpc-platform.server';
import { callUnary, captureLogger, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation, TEST_JWT_SECRET } from '../testing/probe.fixture';
import { GRPC_PLATFORM_SERVER, GrpcPlatformModule } from './grpc-platform.module';

const SETTINGS = Symbol('SETTINGS');

@Injectable()
class ProbeGrpcAdapter implements OnModuleInit {
  constructor(@Inject(GRPC_PLATFORM_SERVER) private readonly server: GrpcPlatformServer) {}
  onModuleInit(): void {
    this.server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
  }
}

@Module({ providers: [ProbeGrpcAdapter] })
class ProbeModule {}

@Module({ providers: [{ provide: SETTINGS, useValue: { secret: TEST_JWT_SECRET } }], exports: [SETTINGS] })
class SettingsModule {}

describe('GrpcPlatformModule', () => {
  it('starts the server after adapters registered their services and drains it when the application closes', async () => {
    const { logger } = captureLogger();
    @Module({
      imports: [
        GrpcPlatformModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { secret: string }) => ({ config: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [settings.secret], development: true } } }, logger }),
        }),
        ProbeModule,
      ],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const server = app.get<GrpcPlatformServer>(GRPC_PLATFORM_SERVER);
    const client = probeClient(server.port);
    try {
      const token = createDevelopmentToken(TEST_JWT_SECRET, ['operator'], 'nest-user');
      await expect(callUnary(client, 'Echo', { text: 'via nest' }, { token })).resolves.toMatchObject({ text: 'via nest', subject: 'nest-user' });
      expect(server.serviceNames).toEqual([PROBE_SERVICE]);
    } finally {
      await app.close();
    }
    const error = await callUnary(probeClient(server.port), 'Echo', { text: 'after close' }, { deadline: new Date(Date.now() + 500) }).catch((e: ServiceError) => e);
    expect((error as ServiceError).code).toBe(Status.UNAVAILABLE);
    client.close();
  });
});
