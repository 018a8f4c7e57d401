import type { z } from 'zod';
import { networkViolations } from '../network/compile-network';
import type { Network, ReconcileOptions } from '../network/network.types';
import { reconcile } from '../reconcile/reconcile';
import type { ReconciliationResult } from '../reconcile/reconciliation-result.types';
import { type FieldViolation, invalidNetwork, ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { networkDocumentSchema, reconcileDocumentOptionsSchema } from './network-document.schema';

function zodViolations(error: z.ZodError, prefix = ''): FieldViolation[] {
  return error.issues.map((issue) => ({
    field: prefix + issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '$',
    description: issue.message,
  }));
}

/** Parses and validates a network document (JSON text); every problem is reported with its path. */
export function parseNetworkDocument(jsonText: string): Network {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (error) {
    throw invalidNetwork([{ field: '$', description: `not valid JSON: ${(error as Error).message}` }]);
  }
  const parsed = networkDocumentSchema.safeParse(raw);
  if (!parsed.success) throw invalidNetwork(zodViolations(parsed.error));
  const network: Network = parsed.data;
  const violations = networkViolations(network);
  if (violations.length > 0) throw invalidNetwork(violations);
  return network;
}

/**
 * Entry point of `reflux balance reconcile --network FILE --json`: validates the document and the
 * options, reconciles, and returns the JSON-ready result.
 */
export async function reconcileNetworkDocument(jsonText: string, options: ReconcileOptions = {}): Promise<ReconciliationResult> {
  const opts = reconcileDocumentOptionsSchema.safeParse(options);
  if (!opts.success) throw new ReconciliationError(ReconciliationErrorCode.invalidOptions, 'invalid reconciliation options', zodViolations(opts.error));
  const network = parseNetworkDocument(jsonText);
  const result = await reconcile(network, opts.data);
  return JSON.parse(JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))) as ReconciliationResult;
}
