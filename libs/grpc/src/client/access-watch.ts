import type { Logger } from 'pino';

export type AccessCheck = () => Promise<{ reachable: true } | { reachable: false; reason: string }>;

/**
 * For a peer that was not reachable at start: repeats `check` every `intervalMs` until it answers.
 * Once it does, an accepted token ends the watch; a refused one (the check throws) is handed to
 * `onRefused`, so mismatched AUTH_JWT_* settings surface as soon as the peer is up instead of at
 * the first real call. Returns a function that stops the watch.
 */
export function watchPeerAccess(options: { readonly check: AccessCheck; readonly intervalMs: number; readonly logger: Logger; readonly peer: string; readonly onRefused: (error: unknown) => void }): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = () => {
    if (stopped) return;
    options.check().then(
      (result) => {
        if (stopped) return;
        if (result.reachable) {
          options.logger.info({ peer: options.peer }, 'peer reachable; it accepts our token');
          return;
        }
        timer = setTimeout(attempt, options.intervalMs);
        timer.unref();
      },
      (error: unknown) => {
        if (!stopped) options.onRefused(error);
      },
    );
  };
  timer = setTimeout(attempt, options.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
