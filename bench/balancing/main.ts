// Plant-wide reconciliation benchmark: seeded plant-like networks (process trains with bypasses,
// recycles and cross-train transfers; ~0.6 nodes per stream; ~10 % of streams unmeasured) of
// 100 … 20,000 streams. Times `reconcile` end to end (validation, graph classification, sparse
// LDLᵀ solve, selected inverse, global/nodal/measurement/GLR tests, serial compensation, sigmas of
// unmeasured flows), warm, median of several runs. The last line is one JSON object.
import { generatePlantNetwork, reconcile } from '@reflux/reconciliation';

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
  const context: Record<string, unknown> = {};
  for (const streams of sizes) {
    const { network } = generatePlantNetwork({ streams, seed: 20261123 + streams });
    // Warm-up (JIT, HiGHS not involved: bounds off for the timed path, see below).
    await reconcile(network, { bounds: false });
    const times: number[] = [];
    const fastTimes: number[] = [];
    let last = await reconcile(network, { bounds: false });
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      last = await reconcile(network, { bounds: false });
      times.push(performance.now() - t0);
      const t1 = performance.now();
      await reconcile(network, { bounds: false, maxEliminations: 0, unmeasuredSigmas: false });
      fastTimes.push(performance.now() - t1);
    }
    reconcileMsByStreams[String(streams)] = Number(median(times).toFixed(1));
    closedFormOnlyMsByStreams[String(streams)] = Number(median(fastTimes).toFixed(1));
    context[String(streams)] = {
      nodes: network.nodes.length,
      measured: last.counts.measured,
      redundant: last.counts.redundant,
      observableUnmeasured: last.counts.observable,
      unobservable: last.counts.unobservable,
      dof: last.globalTest.dof,
      globalTestRejected: last.globalTest.rejected,
      grossErrorsIdentified: last.grossErrors.length,
    };
    console.log(`${streams} streams: reconcile ${reconcileMsByStreams[String(streams)]} ms (closed form + tests only ${closedFormOnlyMsByStreams[String(streams)]} ms)`, context[String(streams)]);
  }
  // Bounded QP (HiGHS active set) on a mid-size network, forced even where no bound binds.
  const qpStreams = Number(process.env.BENCH_QP_STREAMS ?? 1000);
  const { network } = generatePlantNetwork({ streams: qpStreams, seed: 7 });
  await reconcile(network, { forceQp: true, maxEliminations: 0 });
  const t0 = performance.now();
  const qp = await reconcile(network, { forceQp: true, maxEliminations: 0 });
  const boundedQpMs = performance.now() - t0;
  console.log(`bounded QP (HiGHS) on ${qpStreams} streams: ${boundedQpMs.toFixed(1)} ms, ${qp.activeBounds.length} active bounds`);
  const keys = sizes.map(String);
  const first = keys[0];
  const lastKey = keys[keys.length - 1];
  const growthExponent =
    keys.length > 1 ? Math.log(reconcileMsByStreams[lastKey] / reconcileMsByStreams[keys[Math.max(0, keys.length - 2)]]) / Math.log(Number(lastKey) / Number(keys[Math.max(0, keys.length - 2)])) : null;
  console.log(
    JSON.stringify({
      reconcileMsByStreams,
      closedFormOnlyMsByStreams,
      runsPerSize: runs,
      growthExponentLastTwoSizes: growthExponent === null ? null : Number(growthExponent.toFixed(2)),
      boundedQpMs: Number(boundedQpMs.toFixed(1)),
      boundedQpStreams: qpStreams,
      smallestSize: Number(first),
      context,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
