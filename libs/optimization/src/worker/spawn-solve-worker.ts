import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

function findTypeScriptRegister(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'register.cjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`scripts/register.cjs not found above ${from}: needed to run the TypeScript solve worker`);
  }
}

/**
 * Starts a solve worker. From TypeScript sources (npm start, Jest, the CLI) the worker first loads
 * the repository's SWC register hook, as the main thread did; from compiled JavaScript it runs as is.
 * `preload`: the worker loads HiGHS at once instead of on its first request.
 */
export function spawnSolveWorker(options: { readonly preload?: boolean } = {}): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `solve.worker${ext}`);
  const workerData = { preload: options.preload ?? false };
  if (ext !== '.ts') return new Worker(entry, { workerData });
  const register = findTypeScriptRegister(__dirname);
  return new Worker(`require(${JSON.stringify(register)});\nrequire(${JSON.stringify(entry)});`, { eval: true, workerData });
}
