import type { Network } from '../network/network.types';
import { generatePlantNetwork, resampleMeasurements } from '../simulation/plant-network.generator';
import { SeededRandom } from '../simulation/seeded-random';
import { reconcile } from './reconcile';

// Monte Carlo on a simulated plant with known true flows (seeded, so results are reproducible).
const plant = generatePlantNetwork({ streams: 40, seed: 42, unmeasuredFraction: 0.1 });

function withBias(network: Network, id: string, bias: number): Network {
  return { ...network, streams: network.streams.map((s) => (s.id === id ? { ...s, value: (s.value as number) + bias } : s)) };
}

describe('gross error detection (Monte Carlo)', () => {
  it('reconciled flows are closer to the truth than the raw measurements', async () => {
    const rnd = new SeededRandom(1);
    let rawSq = 0;
    let recSq = 0;
    for (let run = 0; run < 200; run++) {
      const net = resampleMeasurements(plant.network, plant.truth, rnd);
      const r = await reconcile(net, { maxEliminations: 0, bounds: false });
      for (const s of r.streams) {
        if (!s.measured) continue;
        const t = plant.truth.get(s.id) as number;
        rawSq += ((s.measuredValue as number) - t) ** 2;
        recSq += ((s.reconciled as number) - t) ** 2;
      }
    }
    expect(recSq).toBeLessThan(0.6 * rawSq);
  });

  it('global test false-alarm rate is close to alpha over 2,000 runs', async () => {
    const rnd = new SeededRandom(2);
    let alarms = 0;
    const runs = 2000;
    for (let run = 0; run < runs; run++) {
      const net = resampleMeasurements(plant.network, plant.truth, rnd);
      const r = await reconcile(net, { maxEliminations: 0, bounds: false, unmeasuredSigmas: false });
      if (r.globalTest.rejected) alarms++;
    }
    expect(alarms / runs).toBeGreaterThan(0.035);
    expect(alarms / runs).toBeLessThan(0.065);
  });

  it('finds an injected 5σ bias and attributes it to the right meter in at least 80 % of runs', async () => {
    const rnd = new SeededRandom(3);
    // Meters whose bias signature is unique (not shared with a leak or another meter) and well
    // redundant: the textbook condition for identifiability.
    const base = await reconcile(plant.network, { maxEliminations: 0, bounds: false });
    const candidates = base.streams.filter((s) => s.classification === 'redundant' && s.sigma !== null && (s.sigma as number) ** 2 < 0.4 * ((plant.network.streams.find((t) => t.id === s.id)?.sigma as number) ** 2));
    expect(candidates.length).toBeGreaterThan(10);
    let found = 0;
    let runs = 0;
    for (let run = 0; run < 200; run++) {
      const target = candidates[run % candidates.length].id;
      const sigma = plant.network.streams.find((s) => s.id === target)?.sigma as number;
      const net = withBias(resampleMeasurements(plant.network, plant.truth, rnd), target, 5 * sigma);
      const r = await reconcile(net, { bounds: false, unmeasuredSigmas: false });
      runs++;
      const hit = r.grossErrors.find((g) => g.kind === 'bias' && (g.id === target || g.equivalent.includes(`bias:${target}`)));
      if (hit && r.grossErrors[0] === hit) found++;
    }
    expect(found / runs).toBeGreaterThanOrEqual(0.8);
  });

  it('estimates the bias magnitude with its sigma ("meter reads x % high")', async () => {
    const rnd = new SeededRandom(4);
    const target = 'S5';
    const truth = plant.truth.get(target) as number;
    const net = withBias(resampleMeasurements(plant.network, plant.truth, rnd), target, 0.2 * truth);
    const r = await reconcile(net, { bounds: false });
    const g = r.grossErrors.find((e) => e.id === target);
    expect(g).toMatchObject({ kind: 'bias' });
    expect(Math.abs((g?.magnitude as number) - 0.2 * truth)).toBeLessThan(4 * (g?.sigma as number));
    expect(g?.relative).toBeCloseTo(0.2, 1);
    expect(r.globalTestAfter.rejected).toBe(false);
  });

  it('attributes a leak to the right node rather than to a meter', async () => {
    const rnd = new SeededRandom(5);
    // A leak at a node whose every stream is internal (no boundary stream shares its signature).
    const internal = plant.network.nodes
      .map((n) => n.id)
      .filter((id) => plant.network.streams.every((s) => !((s.from === id && s.to === null) || (s.to === id && s.from === null))) && plant.network.streams.filter((s) => s.from === id || s.to === id).every((s) => s.measured));
    expect(internal.length).toBeGreaterThan(3);
    let correct = 0;
    let runs = 0;
    for (let run = 0; run < 60; run++) {
      const node = internal[run % internal.length];
      // A loss of 15 % of the node's throughput, supplied along a path from the boundary, so that
      // every other balance still closes and only this node loses mass.
      const inflow = plant.network.streams.filter((s) => s.to === node).reduce((a, s) => a + (plant.truth.get(s.id) as number), 0);
      const leak = 0.15 * inflow;
      const truth = new Map(plant.truth);
      for (const id of pathFromBoundary(plant.network, node)) truth.set(id, (truth.get(id) as number) + leak);
      const net = resampleMeasurements(plant.network, truth, rnd);
      const r = await reconcile(net, { bounds: false, unmeasuredSigmas: false });
      runs++;
      const first = r.grossErrors[0];
      if (first?.kind === 'leak' && (first.id === node || first.equivalent.includes(`leak:${node}`))) {
        correct++;
        expect(Math.abs((first.magnitude as number) - leak)).toBeLessThan(4.5 * (first.sigma as number));
      }
    }
    expect(correct / runs).toBeGreaterThanOrEqual(0.8);
  });
});

/** Stream ids of a directed path from the plant boundary to `node` (breadth-first). */
function pathFromBoundary(network: Network, node: string): string[] {
  const via = new Map<string, string>();
  const queue: string[] = [];
  for (const s of network.streams) if (s.from === null && s.to && !via.has(s.to)) {
    via.set(s.to, s.id);
    queue.push(s.to);
  }
  while (queue.length > 0) {
    const v = queue.shift() as string;
    if (v === node) break;
    for (const s of network.streams) if (s.from === v && s.to && !via.has(s.to)) {
      via.set(s.to, s.id);
      queue.push(s.to);
    }
  }
  const path: string[] = [];
  let v: string | null = node;
  while (v !== null) {
    const id = via.get(v);
    if (!id) throw new Error(`no path to ${node}`);
    path.push(id);
    v = network.streams.find((s) => s.id === id)?.from ?? null;
  }
  return path;
}

describe('gross error identification (Monte Carlo)', () => {
  /** Nodes whose every stream is measured and internal: a loss there has meters on every side. */
  const internal = plant.network.nodes
    .map((n) => n.id)
    .filter((id) => plant.network.streams.every((s) => !((s.from === id && s.to === null) || (s.to === id && s.from === null))) && plant.network.streams.filter((s) => s.from === id || s.to === id).every((s) => s.measured));

  /** True flows with `node` losing `fraction` of its inflow (supplied along a path from the boundary). */
  function leakingTruth(node: string, fraction: number): { truth: Map<string, number>; leak: number } {
    const inflow = plant.network.streams.filter((s) => s.to === node).reduce((a, s) => a + (plant.truth.get(s.id) as number), 0);
    const leak = fraction * inflow;
    const truth = new Map(plant.truth);
    for (const id of pathFromBoundary(plant.network, node)) truth.set(id, (truth.get(id) as number) + leak);
    return { truth, leak };
  }
  // Found: reported, or listed as equivalent (indistinguishable by any balance) to what is reported.
  const isLeakAt = (g: { kind: string; id: string; equivalent: readonly string[] }, node: string): boolean => (g.kind === 'leak' && g.id === node) || g.equivalent.includes(`leak:${node}`);
  const isBiasOf = (g: { kind: string; id: string; equivalent: readonly string[] }, id: string): boolean => (g.kind === 'bias' && g.id === id) || g.equivalent.includes(`bias:${id}`);

  it('reports a leak at a node with meters on every side as that one leak, not a leak plus a meter bias', async () => {
    const rnd = new SeededRandom(6);
    let alone = 0;
    let split = 0;
    const runs = 120;
    for (let run = 0; run < runs; run++) {
      const node = internal[run % internal.length];
      const { truth, leak } = leakingTruth(node, 0.15);
      const r = await reconcile(resampleMeasurements(plant.network, truth, rnd), { bounds: false, unmeasuredSigmas: false });
      const found = r.grossErrors.find((g) => isLeakAt(g, node));
      if (found && r.grossErrors.length === 1) {
        alone++;
        expect(Math.abs((found.magnitude as number) - leak)).toBeLessThan(4.5 * (found.sigma as number));
        expect(r.globalTestAfter.rejected).toBe(false);
      } else if (found) split++;
    }
    expect(alone / runs).toBeGreaterThanOrEqual(0.8);
    // a second finding beside the leak only as often as a false alarm
    expect(split / runs).toBeLessThan(0.1);
  });

  it('finds both of two simultaneous gross errors, a biased meter and a leak elsewhere', async () => {
    const rnd = new SeededRandom(9);
    const base = await reconcile(plant.network, { maxEliminations: 0, bounds: false });
    const meters = base.streams.filter((s) => s.classification === 'redundant' && (s.sigma as number) ** 2 < 0.4 * ((plant.network.streams.find((t) => t.id === s.id)?.sigma as number) ** 2)).map((s) => s.id);
    const pairs = meters.flatMap((m) => {
      const stream = plant.network.streams.find((s) => s.id === m);
      return internal.filter((n) => stream?.from !== n && stream?.to !== n).map((n) => [m, n] as const);
    });
    let both = 0;
    const runs = 150;
    for (let run = 0; run < runs; run++) {
      const [meter, node] = pairs[(run * 13) % pairs.length];
      const sigma = plant.network.streams.find((s) => s.id === meter)?.sigma as number;
      const { truth } = leakingTruth(node, 0.15);
      const net = withBias(resampleMeasurements(plant.network, truth, rnd), meter, (run % 2 === 0 ? 6 : -6) * sigma);
      const r = await reconcile(net, { bounds: false, unmeasuredSigmas: false });
      if (r.grossErrors.some((g) => isBiasOf(g, meter)) && r.grossErrors.some((g) => isLeakAt(g, node))) both++;
    }
    expect(both / runs).toBeGreaterThanOrEqual(0.8);
  });

  it('finds both of two biased meters', async () => {
    const rnd = new SeededRandom(8);
    const base = await reconcile(plant.network, { maxEliminations: 0, bounds: false });
    const meters = base.streams.filter((s) => s.classification === 'redundant' && (s.sigma as number) ** 2 < 0.4 * ((plant.network.streams.find((t) => t.id === s.id)?.sigma as number) ** 2)).map((s) => s.id);
    let both = 0;
    let exactlyTwo = 0;
    const runs = 150;
    for (let run = 0; run < runs; run++) {
      const a = meters[run % meters.length];
      const b = meters[(run * 7 + 3) % meters.length] === a ? meters[(run * 7 + 4) % meters.length] : meters[(run * 7 + 3) % meters.length];
      const sigma = (id: string): number => plant.network.streams.find((s) => s.id === id)?.sigma as number;
      const net = withBias(withBias(resampleMeasurements(plant.network, plant.truth, rnd), a, 6 * sigma(a)), b, -6 * sigma(b));
      const r = await reconcile(net, { bounds: false, unmeasuredSigmas: false });
      if (r.grossErrors.some((g) => isBiasOf(g, a)) && r.grossErrors.some((g) => isBiasOf(g, b))) {
        both++;
        if (r.grossErrors.length === 2) exactlyTwo++;
      }
    }
    expect(both / runs).toBeGreaterThanOrEqual(0.85);
    expect(exactlyTwo / both).toBeGreaterThanOrEqual(0.9);
  });
});
