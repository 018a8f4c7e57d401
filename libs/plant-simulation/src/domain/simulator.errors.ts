import { DomainError } from '@reflux/decider';

export interface ScenarioIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export class InvalidScenarioError extends DomainError {
  constructor(readonly issues: readonly ScenarioIssue[]) {
    super('SIMULATOR.INVALID_SCENARIO', `invalid scenario: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, {
      details: { issues },
    });
  }
}
