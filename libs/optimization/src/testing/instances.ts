// Deterministic instances for the solver tests and benchmarks.
import type { LinearModel } from '../model/linear-model';
import { ModelBuilder, terms } from '../model/model-builder';

/** Park–Miller generator: same seed, same instance, on every machine. */
export function seeded(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** A random feasible, bounded production-like LP: products × resources, min cost, demand rows. */
export function randomLp(seed: number, products: number, resources: number, integer = false): LinearModel {
  const r = seeded(seed);
  const b = new ModelBuilder(`random-${seed}`);
  const x = Array.from({ length: products }, (_, p) => b.variable(`make.p${p}`, { upper: 20 + Math.round(r() * 30), cost: 1 + Math.round(r() * 9), integer }));
  const buy = Array.from({ length: products }, (_, p) => b.variable(`buy.p${p}`, { cost: 15 + Math.round(r() * 10), integer }));
  for (let k = 0; k < resources; k++) {
    const t = terms();
    x.forEach((j) => t.add(j, 1 + Math.round(r() * 4)));
    b.lessOrEqual(`resource.r${k}`, t, 60 + Math.round(r() * 100));
  }
  x.forEach((j, p) => b.greaterOrEqual(`demand.p${p}`, terms().add(j, 1).add(buy[p], 1), 5 + Math.round(r() * 25)));
  return b.build();
}

/**
 * Market split (Cornuéjols–Dawande): `Σ a_ij x_j = b_i` with binaries, written with slacks so any
 * x is feasible; finding slack 0 (or proving it impossible) is notoriously hard for branch and bound.
 */
export function marketSplit(seed: number, rows: number, columns: number): LinearModel {
  const r = seeded(seed);
  const b = new ModelBuilder(`market-split-${seed}`);
  const x = Array.from({ length: columns }, (_, j) => b.binary(`x${j}`));
  for (let i = 0; i < rows; i++) {
    const a = x.map(() => Math.floor(r() * 100));
    const t = terms();
    x.forEach((j, k) => t.add(j, a[k]));
    t.add(b.variable(`over${i}`, { cost: 1 }), -1).add(b.variable(`under${i}`, { cost: 1 }), 1);
    b.equal(`split${i}`, t, Math.floor(a.reduce((s, v) => s + v, 0) / 2));
  }
  return b.build();
}
