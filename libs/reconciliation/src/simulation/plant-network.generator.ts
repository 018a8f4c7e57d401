import type { Network, NetworkStream } from '../network/network.types';
import { SeededRandom } from './seeded-random';

export interface PlantNetworkSpec {
  readonly streams: number;
  readonly seed: number;
  /** Nodes per stream (plants: 0.5–0.7). Default 0.6. */
  readonly nodesPerStream?: number;
  /** Fraction of streams without a meter. Default 0.1. */
  readonly unmeasuredFraction?: number;
  /** Units per process train (a feed, a chain of units, a product). Default 12. */
  readonly trainLength?: number;
  /** Relative and absolute meter uncertainty: σ = relative·|true| + absolute. Defaults 0.02, 0.05 kg/s. */
  readonly relativeSigma?: number;
  readonly absoluteSigma?: number;
}

export interface SimulatedPlant {
  /** The network with its (noisy) measurements. */
  readonly network: Network;
  /** True flows by stream id (kg/s). */
  readonly truth: ReadonlyMap<string, number>;
}

/**
 * A plant-like network with known true flows: process trains (feed → chain of units → product)
 * with local bypasses, recycles and cross-train transfers. True flows are a superposition of
 * positive routes from the boundary to the boundary, so every stream carries a positive flow and all
 * balances close exactly. Measurements are truth plus Gaussian noise of the stated sigma.
 */
export function generatePlantNetwork(spec: PlantNetworkSpec): SimulatedPlant {
  const rnd = new SeededRandom(spec.seed);
  const S = spec.streams;
  const N = Math.max(2, Math.round(S * (spec.nodesPerStream ?? 0.6)));
  const L = Math.max(2, spec.trainLength ?? 12);
  const trainOf = (i: number): number => Math.floor(i / L);
  const trainStart = (t: number): number => t * L;
  const trainEnd = (t: number): number => Math.min(N - 1, t * L + L - 1);
  const trains = trainOf(N - 1) + 1;

  interface Edge {
    from: number;
    to: number;
    flow: number;
  }
  const edges: Edge[] = [];
  const chainIndex = new Int32Array(N).fill(-1); // edge i → i+1 inside a train
  const feedIndex = new Int32Array(trains);
  const productIndex = new Int32Array(trains);
  for (let t = 0; t < trains; t++) {
    feedIndex[t] = edges.push({ from: -1, to: trainStart(t), flow: 0 }) - 1;
    for (let i = trainStart(t); i < trainEnd(t); i++) chainIndex[i] = edges.push({ from: i, to: i + 1, flow: 0 }) - 1;
    productIndex[t] = edges.push({ from: trainEnd(t), to: -1, flow: 0 }) - 1;
  }
  // Chain-flow difference arrays: adding f to chain edges [a, b) within one train.
  const chainDiff = new Float64Array(N + 1);
  const routeIn = (v: number, f: number): void => {
    // boundary → feed of v's train → chain to v
    const t = trainOf(v);
    edges[feedIndex[t]].flow += f;
    chainDiff[trainStart(t)] += f;
    chainDiff[v] -= f;
  };
  const routeOut = (v: number, f: number): void => {
    // v → chain to the end of its train → product
    const t = trainOf(v);
    edges[productIndex[t]].flow += f;
    chainDiff[v] += f;
    chainDiff[trainEnd(t)] -= f;
  };
  for (let t = 0; t < trains; t++) {
    const f = 20 + 80 * rnd.next();
    routeIn(trainEnd(t), f);
    routeOut(trainEnd(t), 0);
    edges[productIndex[t]].flow += f;
  }
  while (edges.length < S) {
    const u = rnd.int(0, N - 1);
    const kind = rnd.next();
    const f = 2 + 18 * rnd.next();
    if (kind < 0.15) {
      edges.push({ from: -1, to: u, flow: f }); // extra feed
      routeOut(u, f);
    } else if (kind < 0.3) {
      edges.push({ from: u, to: -1, flow: f }); // side draw
      routeIn(u, f);
    } else {
      let v: number;
      if (kind < 0.8) v = Math.min(trainEnd(trainOf(u)), u + rnd.int(2, 4)); // bypass
      else if (kind < 0.92) v = Math.max(trainStart(trainOf(u)), u - rnd.int(1, 4)); // recycle
      else v = rnd.int(0, N - 1); // transfer to another unit
      if (v === u) continue;
      edges.push({ from: u, to: v, flow: f });
      routeIn(u, f);
      routeOut(v, f);
    }
  }
  let acc = 0;
  for (let i = 0; i < N; i++) {
    acc += chainDiff[i];
    if (chainIndex[i] >= 0) edges[chainIndex[i]].flow += acc;
  }
  const relative = spec.relativeSigma ?? 0.02;
  const absolute = spec.absoluteSigma ?? 0.05;
  const unmeasured = spec.unmeasuredFraction ?? 0.1;
  const truth = new Map<string, number>();
  const streams: NetworkStream[] = edges.map((e, k) => {
    const id = `S${k + 1}`;
    truth.set(id, e.flow);
    const measured = rnd.next() >= unmeasured;
    const sigma = relative * Math.abs(e.flow) + absolute;
    return {
      id,
      from: e.from < 0 ? null : `U${e.from + 1}`,
      to: e.to < 0 ? null : `U${e.to + 1}`,
      measured,
      value: measured ? e.flow + sigma * rnd.normal() : null,
      sigma: measured ? sigma : null,
      lower: 0,
      upper: null,
    };
  });
  const nodes = Array.from({ length: N }, (_, i) => ({ id: `U${i + 1}` }));
  return { network: { nodes, streams, flowUnit: 'kg/s' }, truth };
}

/** Re-draws the measurements of a network around known true flows (same meters, same sigmas). */
export function resampleMeasurements(network: Network, truth: ReadonlyMap<string, number>, rnd: SeededRandom): Network {
  return {
    ...network,
    streams: network.streams.map((s) => (s.measured ? { ...s, value: (truth.get(s.id) as number) + (s.sigma as number) * rnd.normal() } : s)),
  };
}
