import { DomainError } from '@reflux/decider';
import type { PlantModelIssue } from './plant-model.issues';

/** Root of this library's errors (a `DomainError`: stable `code`, `retriable`). */
export class PlantModelError extends DomainError {
  constructor(code: string, message: string, retriable = false, details: Record<string, unknown> = {}) {
    super(code, message, { retriable, details });
  }
}

export class InvalidPlantModelError extends PlantModelError {
  constructor(readonly issues: readonly PlantModelIssue[]) {
    super(
      'PLANT_MODEL.INVALID',
      `invalid plant model (${issues.length} problem${issues.length === 1 ? '' : 's'}): ` +
        issues
          .slice(0, 5)
          .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
          .join('; ') +
        (issues.length > 5 ? '; …' : ''),
      false,
      { issues },
    );
  }
}
