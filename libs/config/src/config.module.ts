import { type DynamicModule, Inject, Module } from '@nestjs/common';
import type { z } from 'zod';
import { type Env, loadConfig } from './load-config';

/** DI token of the typed configuration object. */
export const REFLUX_CONFIG = Symbol.for('reflux.config');

/** Parameter decorator: `constructor(@InjectConfig() config: IngestionConfig)`. */
export const InjectConfig = (): ParameterDecorator => Inject(REFLUX_CONFIG);

@Module({})
export class RefluxConfigModule {
  /**
   * Provides the configuration under `REFLUX_CONFIG`, globally. Pass `config` when main.ts has
   * already loaded it (the usual case: it needs LOG_LEVEL before Nest starts); otherwise `schema`
   * (and optionally `env`) are loaded here, and a bad value makes module creation fail.
   */
  static forRoot<S extends z.ZodType<unknown, Record<string, string | undefined>>>(
    options: { readonly config: Readonly<z.output<S>> } | { readonly schema: S; readonly env?: Env },
  ): DynamicModule {
    const value = 'config' in options ? options.config : loadConfig(options.schema, options.env);
    return {
      module: RefluxConfigModule,
      global: true,
      providers: [{ provide: REFLUX_CONFIG, useValue: value }],
      exports: [REFLUX_CONFIG],
    };
  }
}
