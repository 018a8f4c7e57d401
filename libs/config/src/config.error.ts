/** One bad variable: its name and what is wrong with it. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/**
 * Thrown by `loadConfig` when any variable is missing or malformed. Lists every problem at once,
 * one per line, each starting with the variable name. Not retriable: the environment must change.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  readonly retriable = false;

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
