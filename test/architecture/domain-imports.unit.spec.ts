import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/** Lints `code` as if it were the file at `filePath` with the repository's own ESLint config. */
function lint(filePath: string, code: string): LintMessage[] {
  let output: string;
  try {
    output = execFileSync(join(ROOT, 'node_modules', '.bin', 'eslint'), ['--format', 'json', '--stdin', '--stdin-filename', filePath], {
      cwd: ROOT,
      input: code,
      env: { ...process.env, NX_DAEMON: 'false' },
      encoding: 'utf8',
    });
  } catch (error) {
    // eslint exits 1 when it reports problems; the report is still on stdout
    output = (error as { stdout?: string }).stdout ?? '';
    if (!output) throw error;
  }
  return (JSON.parse(output) as { messages: LintMessage[] }[]).flatMap((r) => r.messages);
}

const restricted = (messages: LintMessage[]) => messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');

const FRAMEWORK_PROBE = [
  "import { Injectable } from '@nestjs/common';",
  "import type { Pool } from 'pg';",
  "import { Kafka } from 'kafkajs';",
  "import type { Logger } from 'pino';",
  "import { EventStore } from '@reflux/event-store';",
  'export const probe = [Injectable, Kafka, EventStore] as const;',
  'export type Probe = Pool | Logger;',
  '',
].join('\n');

describe('domain code imports no framework (eslint.config.mjs)', () => {
  it('rejects NestJS, pg, kafkajs, pino and infrastructure libraries in a service domain folder', () => {
    const messages = restricted(lint('services/balancing/src/domain/probe.ts', FRAMEWORK_PROBE));
    expect(messages.map((m) => m.message.match(/'([^']+)' import is restricted/)?.[1])).toEqual(['@nestjs/common', 'pg', 'kafkajs', 'pino', '@reflux/event-store']);
  });

  it('rejects them in a project tagged type:domain (libs/reconciliation), type-only imports included', () => {
    const messages = restricted(lint('libs/reconciliation/src/probe.ts', "import type { Pool } from 'pg';\nexport type Probe = Pool;\n"));
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain('domain code does not touch the database');
  });

  it('lets adapters and application code import frameworks', () => {
    expect(restricted(lint('services/balancing/src/adapters/grpc/probe.ts', FRAMEWORK_PROBE))).toEqual([]);
    expect(restricted(lint('services/balancing/src/application/probe.ts', "import type { Logger } from 'pino';\nexport type Probe = Logger;\n"))).toEqual([]);
  });

  it('rejects an application file that imports an adapter instead of a port', () => {
    const code = "import { toIntegrationEvents } from '../adapters/bus/balance-integration-events';\nexport const probe = toIntegrationEvents;\n";
    const messages = restricted(lint('services/balancing/src/application/probe.ts', code));
    expect(messages.map((m) => m.message)).toEqual([expect.stringContaining('application code depends on ports')]);
  });

  it('lets domain code import pure libraries', () => {
    const code = "import { z } from 'zod';\nimport { reconcile } from '@reflux/reconciliation';\nexport const probe = [z, reconcile] as const;\n";
    expect(restricted(lint('services/balancing/src/domain/probe.ts', code))).toEqual([]);
  });
});
