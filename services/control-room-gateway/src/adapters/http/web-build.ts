import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** Newest modification time (ms) of the files under `dir`, skipping `dist` and `node_modules`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `web/dist/index.html` is missing or older than a source of the page. */
export function webBuildStale(webDir: string): boolean {
  const index = join(webDir, 'dist', 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource(webDir);
}

/**
 * Builds the control-room page (Vite, `web/build.mjs`, in a child process: Vite is ESM-only) when
 * its `dist` is missing or older than its sources. Without the sources (an image with only `dist`)
 * it does nothing; a failed build is an error (the gateway would otherwise serve no page).
 */
export async function ensureWebBuilt(webDir: string, logger: Logger): Promise<void> {
  if (!existsSync(join(webDir, 'build.mjs')) || !webBuildStale(webDir)) return;
  const started = Date.now();
  logger.info({ webDir }, 'building the control-room page (web/dist missing or older than its sources)');
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(webDir, 'build.mjs')], { cwd: webDir, timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`control-room page build failed: ${stderr || error.message}`)) : resolve(),
    ),
  );
  logger.info({ webDir, ms: Date.now() - started }, 'control-room page built');
}
