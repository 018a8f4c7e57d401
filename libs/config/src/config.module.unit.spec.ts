import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectConfig, RefluxConfigModule } from './config.module';
import { env } from './env';
import { extendPlatformConfig, type PlatformConfig } from './platform.config';

const schema = extendPlatformConfig({ GRPC_PORT: env.port({ default: 50052 }), BALANCING_MAX_ITERATIONS: env.int({ min: 1, max: 10 }, { default: 3 }) });

@Injectable()
class NeedsConfig {
  constructor(@InjectConfig() readonly config: PlatformConfig & { BALANCING_MAX_ITERATIONS: number }) {}
}

describe('RefluxConfigModule', () => {
  it('injects the typed configuration loaded from the given environment', async () => {
    @Module({ imports: [RefluxConfigModule.forRoot({ schema, env: { SERVICE_NAME: 'balancing', DATABASE_URL: 'postgres://h/db', AUTH_DISABLED: 'true' } })], providers: [NeedsConfig] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      const { config } = app.get(NeedsConfig);
      const iterations: number = config.BALANCING_MAX_ITERATIONS;
      expect([config.GRPC_PORT, iterations, config.SERVICE_NAME]).toEqual([50052, 3, 'balancing']);
    } finally {
      await app.close();
    }
  });

  it('fails module creation with the variable name when the environment is wrong', () => {
    expect(() => RefluxConfigModule.forRoot({ schema, env: { SERVICE_NAME: 'balancing', AUTH_DISABLED: 'true' } })).toThrow(/DATABASE_URL: required but not set/);
  });
});
