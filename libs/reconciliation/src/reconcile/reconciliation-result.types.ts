export type StreamClassification = 'redundant' | 'nonredundant' | 'observable' | 'unobservable';

export interface StreamResult {
  readonly id: string;
  readonly kind: 'stream' | 'accumulation';
  readonly measured: boolean;
  readonly measuredValue: number | null;
  /** Reconciled (measured) or estimated (unmeasured) flow; null when unobservable. */
  readonly reconciled: number | null;
  readonly sigma: number | null;
  /** reconciled − measured; null for unmeasured flows. */
  readonly adjustment: number | null;
  /** |adjustment| / sd(adjustment) before any gross error was removed; null when not redundant. */
  readonly measurementTest: number | null;
  /** Measurement test above the Šidák-corrected critical value. */
  readonly suspect: boolean;
  readonly classification: StreamClassification;
  /** True when serial elimination removed this measurement as biased. */
  readonly grossError: boolean;
}

export interface TestResult {
  readonly statistic: number;
  readonly dof: number;
  readonly critical: number;
  readonly pValue: number;
  readonly rejected: boolean;
}

export interface NodeResult {
  readonly id: string;
  /** In − out − accumulation from raw measurements; null when a flow at the node is unmeasured. */
  readonly imbalanceBefore: number | null;
  /** The same with reconciled/estimated values; null when a flow at the node is unobservable. */
  readonly imbalanceAfter: number | null;
  /** Standardised raw imbalance of the node's balance group; null when the group has no redundant flow. */
  readonly nodalTest: number | null;
  readonly suspect: boolean;
  /** Nodes merged with this one through unmeasured streams (their balances are tested together). */
  readonly balanceGroup: readonly string[];
}

export interface GrossErrorResult {
  readonly kind: 'bias' | 'leak';
  /** Stream id (bias) or node id (leak). */
  readonly id: string;
  /** Bias: measured − true (positive = reads high). Leak: flow lost at the node (positive = loss). */
  readonly magnitude: number | null;
  readonly sigma: number | null;
  /** Bias relative to the reconciled flow (0.07 = reads 7 % high); null for leaks. */
  readonly relative: number | null;
  /** GLR statistic when the error was identified, and the critical value it beat. */
  readonly glr: number;
  readonly glrCritical: number;
  /** Hypotheses with the same signature, indistinguishable from this one by the balances. */
  readonly equivalent: readonly string[];
}

export interface ActiveBound {
  readonly id: string;
  readonly bound: 'lower' | 'upper';
  readonly value: number;
}

export interface ReconciliationResult {
  readonly streams: readonly StreamResult[];
  readonly nodes: readonly NodeResult[];
  /** Global test on the raw measurements. */
  readonly globalTest: TestResult;
  /** Global test after the identified gross errors were removed. */
  readonly globalTestAfter: TestResult;
  readonly measurementTestCritical: number;
  readonly nodalTestCritical: number;
  readonly grossErrors: readonly GrossErrorResult[];
  readonly activeBounds: readonly ActiveBound[];
  readonly solver: 'closed-form' | 'qp';
  readonly objective: number;
  readonly counts: {
    readonly streams: number;
    readonly measured: number;
    readonly redundant: number;
    readonly nonredundant: number;
    readonly observable: number;
    readonly unobservable: number;
  };
}
