#!/usr/bin/env node
// `npm run bench -- NAME [args…]` runs the benchmark in bench/NAME. The last line a benchmark
// prints is one JSON object of figures whose keys carry their units.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, 'bench'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const entry = ['main.ts', 'main.mjs'].map((f) => join(root, 'bench', name, f)).find(existsSync);
if (!entry) {
  console.error(`bench/${name} has no main.ts or main.mjs`);
  process.exit(2);
}
const nodeArgs = entry.endsWith('.ts') ? ['-r', join(root, 'scripts', 'register.cjs'), entry, ...args] : [entry, ...args];
// bench/NAME/node-flags: Node.js flags the benchmarked service runs with in production.
const flagsFile = join(root, 'bench', name, 'node-flags');
const serviceFlags = existsSync(flagsFile) ? readFileSync(flagsFile, 'utf8').split(/\s+/).filter((f) => f.startsWith('--')) : [];
const result = spawnSync(process.execPath, ['--max-old-space-size=8192', ...serviceFlags, ...nodeArgs], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
