import type { CompiledModel, VariableKind } from './compiled-model';
import type { Network } from './network.types';
import { type FieldViolation, invalidNetwork } from '../reconciliation.error';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Structural and numeric checks that every entry point shares; each problem names its path. */
export function networkViolations(network: Network): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const nodeIndex = new Map<string, number>();
  network.nodes.forEach((node, i) => {
    if (nodeIndex.has(node.id)) violations.push({ field: `nodes[${i}].id`, description: `duplicate node id "${node.id}" (first at nodes[${nodeIndex.get(node.id)}])` });
    else nodeIndex.set(node.id, i);
    const acc = node.accumulation;
    if (acc) checkMeasurement(acc, `nodes[${i}].accumulation`, violations);
  });
  const streamIndex = new Map<string, number>();
  network.streams.forEach((s, i) => {
    const at = `streams[${i}]`;
    if (streamIndex.has(s.id)) violations.push({ field: `${at}.id`, description: `duplicate stream id "${s.id}" (first at streams[${streamIndex.get(s.id)}])` });
    else streamIndex.set(s.id, i);
    if (s.from !== null && !nodeIndex.has(s.from)) violations.push({ field: `${at}.from`, description: `unknown node "${s.from}"` });
    if (s.to !== null && !nodeIndex.has(s.to)) violations.push({ field: `${at}.to`, description: `unknown node "${s.to}"` });
    if (s.from === null && s.to === null) violations.push({ field: `${at}`, description: 'a stream needs at least one node: from and to are both the plant boundary (null)' });
    if (s.from !== null && s.from === s.to) violations.push({ field: `${at}.to`, description: `stream starts and ends at the same node "${s.from}"` });
    checkMeasurement(s, at, violations);
  });
  const seenPairs = new Set<string>();
  (network.covariance ?? []).forEach((c, i) => {
    const at = `covariance[${i}]`;
    for (const key of ['a', 'b'] as const) {
      const id = c[key];
      const si = streamIndex.get(id);
      if (si === undefined) violations.push({ field: `${at}.${key}`, description: `unknown stream "${id}"` });
      else if (!network.streams[si].measured) violations.push({ field: `${at}.${key}`, description: `stream "${id}" is unmeasured; covariances relate measurements` });
    }
    if (c.a === c.b) violations.push({ field: `${at}.b`, description: 'a covariance entry relates two different streams; put the variance in sigma' });
    if (!finite(c.value)) violations.push({ field: `${at}.value`, description: 'must be a finite number' });
    const key = [c.a, c.b].sort().join('\u0000');
    if (seenPairs.has(key)) violations.push({ field: at, description: `duplicate covariance for "${c.a}" and "${c.b}"` });
    seenPairs.add(key);
    const sa = network.streams[streamIndex.get(c.a) ?? -1];
    const sb = network.streams[streamIndex.get(c.b) ?? -1];
    if (sa?.sigma && sb?.sigma && finite(c.value) && Math.abs(c.value) >= sa.sigma * sb.sigma) {
      violations.push({ field: `${at}.value`, description: `|covariance| must be below sigma_a·sigma_b = ${sa.sigma * sb.sigma} (correlation strictly inside (−1, 1))` });
    }
  });
  return violations;
}

function checkMeasurement(
  s: { measured: boolean; value?: number | null; sigma?: number | null; lower?: number | null; upper?: number | null },
  at: string,
  violations: FieldViolation[],
): void {
  if (s.measured) {
    if (!finite(s.value)) violations.push({ field: `${at}.value`, description: 'a measured flow needs a finite value' });
    if (!finite(s.sigma) || s.sigma <= 0) violations.push({ field: `${at}.sigma`, description: 'a measured flow needs a finite sigma > 0' });
  }
  if (s.lower !== undefined && s.lower !== null && !finite(s.lower)) violations.push({ field: `${at}.lower`, description: 'must be a finite number or null' });
  if (s.upper !== undefined && s.upper !== null && !finite(s.upper)) violations.push({ field: `${at}.upper`, description: 'must be a finite number or null' });
  if (finite(s.lower) && finite(s.upper) && s.lower > s.upper) violations.push({ field: `${at}.upper`, description: `upper bound ${s.upper} lies below lower bound ${s.lower}` });
}

/** Validates and converts a network to its numeric form; throws RECONCILIATION.INVALID_NETWORK. */
export function compileNetwork(network: Network): CompiledModel {
  const violations = networkViolations(network);
  if (violations.length > 0) throw invalidNetwork(violations);
  const nodeIds = network.nodes.map((n) => n.id);
  const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
  const N = nodeIds.length;
  const accNodes = network.nodes.map((node, i) => ({ node, i })).filter(({ node }) => node.accumulation);
  const total = network.streams.length + accNodes.length;
  const ids: string[] = [];
  const kinds: VariableKind[] = [];
  const from = new Int32Array(total);
  const to = new Int32Array(total);
  const measured = new Uint8Array(total);
  const y = new Float64Array(total);
  const sigma = new Float64Array(total);
  const lower = new Float64Array(total);
  const upper = new Float64Array(total);
  let k = 0;
  for (const s of network.streams) {
    ids.push(s.id);
    kinds.push('stream');
    from[k] = s.from === null ? N : (nodeIndex.get(s.from) as number);
    to[k] = s.to === null ? N : (nodeIndex.get(s.to) as number);
    measured[k] = s.measured ? 1 : 0;
    y[k] = s.measured ? (s.value as number) : NaN;
    sigma[k] = s.measured ? (s.sigma as number) : NaN;
    lower[k] = s.lower === undefined ? 0 : s.lower === null ? -Infinity : s.lower;
    upper[k] = s.upper === undefined || s.upper === null ? Infinity : s.upper;
    k++;
  }
  for (const { node, i } of accNodes) {
    const acc = node.accumulation as NonNullable<typeof node.accumulation>;
    ids.push(accumulationId(node.id));
    kinds.push('accumulation');
    from[k] = i;
    to[k] = N;
    measured[k] = acc.measured ? 1 : 0;
    y[k] = acc.measured ? (acc.value as number) : NaN;
    sigma[k] = acc.measured ? (acc.sigma as number) : NaN;
    lower[k] = acc.lower === undefined || acc.lower === null ? -Infinity : acc.lower;
    upper[k] = acc.upper === undefined || acc.upper === null ? Infinity : acc.upper;
    k++;
  }
  const varIndex = new Map(ids.map((id, i) => [id, i]));
  const covariance = new Map<number, Map<number, number>>();
  for (const c of network.covariance ?? []) {
    const a = varIndex.get(c.a) as number;
    const b = varIndex.get(c.b) as number;
    if (!covariance.has(a)) covariance.set(a, new Map());
    if (!covariance.has(b)) covariance.set(b, new Map());
    covariance.get(a)?.set(b, c.value);
    covariance.get(b)?.set(a, c.value);
  }
  const leakCandidate = Uint8Array.from(network.nodes.map((n) => (n.leakCandidate === false ? 0 : 1)));
  return { nodeIds, nodeCount: N, ids, kinds, from, to, measured, y, sigma, lower, upper, covariance, leakCandidate };
}

/** Id under which a node's accumulation term appears among the stream results. */
export function accumulationId(nodeId: string): string {
  return `${nodeId}#accumulation`;
}
