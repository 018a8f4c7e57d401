import { OptimizationError, OptimizationErrorCode } from '../optimization.error';
import type { ModelSize } from '../model/linear-model';
import type { Backend, BackendChoice } from '../solve.types';

/**
 * javascript-lp-solver keeps a dense tableau of rows × columns doubles: 0.09 s at a 5 × 3 × 24
 * planning LP, no answer within 120 s at 10 × 5 × 48, 13 GB at 40 × 10 × 168. It is chosen only for
 * pure LPs up to this many tableau cells when no duals are wanted (it reports none).
 */
export const jsLpMaxTableauCells = 40_000;

export function chooseBackend(choice: BackendChoice | undefined, size: ModelSize, needDuals: boolean): Backend {
  if (choice === 'jslp' || choice === 'highs') return choice;
  if (choice !== undefined && choice !== 'auto') throw new OptimizationError(OptimizationErrorCode.invalidOptions, `unknown backend ${String(choice)}`, { violations: [{ field: 'backend', description: 'must be auto, highs or jslp' }] });
  return size.integers === 0 && !needDuals && size.rows * size.columns <= jsLpMaxTableauCells ? 'jslp' : 'highs';
}
