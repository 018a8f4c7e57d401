// Plant-wide reconciliation benchmark: seeded plant-like networks (process trains with bypasses,
// recycles and cross-train transfers; ~0.6 nodes per stream; ~10 % of streams unmeasured) of
// 100 … 20,000 streams. Times `reconcile` end to end (validation, graph classification, sparse
// LDLᵀ solve, selected inverse, global/nodal/measurement/GLR tests, serial compensation, sigmas of
// unmeasured flows, bounds), warm, median of several runs; then the same with three injected 10σ meter
// biases (serial compensation re-solves once per identified error). The last line is one JSON object.
import { generatePlantNetwork, type Network, reconcile } from '@reflux/reconciliation';

function withBiases(network: Network, count: number): { network: Network; ids: string[] } {
  const measured = network.streams.filter((s) => s.measured);
  const ids = Array.from({ length: count }, (_, i) => measured[Math.floor(((i + 1) * measured.length) / (count + 1))].id);
  return {
    ids,
    network: { ...network, streams: network.streams.map((s) => (ids.includes(s.id) ? { ...s, value: (s.value as number) + 10 * (s.sigma as number) } : s)) },
  };
}

const sizes = (process.env.BENCH_SIZES ?? '100,1000,5000,20000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main(): Promise<void> {
  const reconcileMsByStreams: Record<string, number> = {};
  const closedFormOnlyMsByStreams: Record<string, number> = {};
  const withThreeGrossErrorsMsByStreams: Record<string, number> = {};
  const context: Record<string, unknown> = {};
  for (const streams of sizes) {
    const { network } = generatePlantNetwork({ streams, seed: 20261123 + streams });
    const biased = withBiases(network, 3);
    // Warm-up (JIT, HiGHS runtime).
    await reconcile(network);
    await reconcile(biased.network);
    const times: number[] = [];
    const fastTimes: number[] = [];
    const biasTimes: number[] = [];
    let last = await reconcile(network);
    let lastBiased = await reconcile(biased.network);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      last = await reconcile(network);
      times.push(performance.now() - t0);
      const t1 = performance.now();
      await reconcile(network, { bounds: false, maxEliminations: 0, unmeasuredSigmas: false });
      fastTimes.push(performance.now() - t1);
      const t2 = performance.now();
      lastBiased = await reconcile(biased.network);
      biasTimes.push(performance.now() - t2);
    }
    reconcileMsByStreams[String(streams)] = Number(median(times).toFixed(1));
    closedFormOnlyMsByStreams[String(streams)] = Number(median(fastTimes).toFixed(1));
    withThreeGrossErrorsMsByStreams[String(streams)] = Number(median(biasTimes).toFixed(1));
    const found = lastBiased.grossErrors.filter((g) => g.kind === 'bias' && (biased.ids.includes(g.id) || g.equivalent.some((e) => biased.ids.includes(e.slice(5))))).length;
    context[String(streams)] = {
      nodes: network.nodes.length,
      measured: last.counts.measured,
      redundant: last.counts.redundant,
      observableUnmeasured: last.counts.observable,
      unobservable: last.counts.unobservable,
      dof: last.globalTest.dof,
      globalTestRejected: last.globalTest.rejected,
      grossErrorsIdentified: last.grossErrors.length,
      solver: last.solver,
      activeBounds: last.activeBounds.length,
      injectedBiasesFound: `${found}/3`,
      identifiedWithInjected: lastBiased.grossErrors.length,
    };
    console.log(
      `${streams} streams: reconcile ${reconcileMsByStreams[String(streams)]} ms (closed form + tests only ${closedFormOnlyMsByStreams[String(streams)]} ms; with 3 gross errors ${withThreeGrossErrorsMsByStreams[String(streams)]} ms)`,
      context[String(streams)],
    );
  }
  // Full bounded QP over every flow (HiGHS active set, the cross-check solver) on a mid-size network.
  const qpStreams = Number(process.env.BENCH_QP_STREAMS ?? 1000);
  const { network } = generatePlantNetwork({ streams: qpStreams, seed: 7 });
  await reconcile(network, { forceQp: true, maxEliminations: 0 });
  const t0 = performance.now();
  const qp = await reconcile(network, { forceQp: true, maxEliminations: 0 });
  const boundedQpMs = performance.now() - t0;
  console.log(`full bounded QP (HiGHS) on ${qpStreams} streams: ${boundedQpMs.toFixed(1)} ms, ${qp.activeBounds.length} active bounds`);
  const keys = sizes.map(String);
  const first = keys[0];
  const lastKey = keys[keys.length - 1];
  const growthExponent =
    keys.length > 1 ? Math.log(reconcileMsByStreams[lastKey] / reconcileMsByStreams[keys[Math.max(0, keys.length - 2)]]) / Math.log(Number(lastKey) / Number(keys[Math.max(0, keys.length - 2)])) : null;
  console.log(
    JSON.stringify({
      reconcileMsByStreams,
      closedFormOnlyMsByStreams,
      withThreeGrossErrorsMsByStreams,
      runsPerSize: runs,
      growthExponentLastTwoSizes: growthExponent === null ? null : Number(growthExponent.toFixed(2)),
      fullHighsQpMs: Number(boundedQpMs.toFixed(1)),
      fullHighsQpStreams: qpStreams,
      smallestSize: Number(first),
      context,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
