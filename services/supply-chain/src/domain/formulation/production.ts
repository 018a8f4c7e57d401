import { terms } from '@reflux/optimization';
import type { Network, Process, Site } from '../network.schema';
import { periodLabel, type FormulationContext } from './context';

export interface ProductionVariables {
  /** Column indices by [site][process][period]. */
  readonly make: number[][][];
  readonly on: number[][][];
  readonly start: number[][][];
  /** Modules available (installed, less any capacity change) by [site][process][period]. */
  readonly available: number[][][];
}

/** Modules of a process available in period t: installed, or the least of the capacity changes covering t. */
export function availableModules(network: Network, site: Site, process: Process, t: number): number {
  let n = process.modules.installed;
  for (const c of network.capacityChanges)
    if (c.availableModules !== undefined && c.site === site.id && (c.process === undefined || c.process === process.id) && t >= c.fromPeriod && t < c.toPeriod) n = Math.min(n, c.availableModules);
  return n;
}

/**
 * t per period lost in period t (suspected losses): of one process (`process` given), or of the
 * site as a whole (`process` undefined). Several changes covering the same period count as the
 * largest: balancing reports a leak again in every window, and the reports are not added up.
 */
export function lostTPerPeriod(network: Network, site: Site, process: Process | undefined, t: number): number {
  let lost = 0;
  for (const c of network.capacityChanges) if (c.lostTPerPeriod && c.site === site.id && c.process === process?.id && t >= c.fromPeriod && t < c.toPeriod) lost = Math.max(lost, c.lostTPerPeriod);
  return lost;
}

/** Most a process can make in period t: modules available × t per module, less its own losses, never below zero. */
export function makeLimitT(network: Network, site: Site, process: Process, t: number): number {
  return Math.max(0, availableModules(network, site, process, t) * process.modules.capacityTPerPeriod - lostTPerPeriod(network, site, process, t));
}

/**
 * Per site, process and period: tonnes made (≤ modules on × capacity per module), modules on
 * (integer in the MILP, at most those available), modules started (start-up cost) and the minimum
 * on time (a module started in the last `minOnPeriods` periods stays on, unless a trip took it).
 */
export function formulateProduction(ctx: FormulationContext, milp: boolean): ProductionVariables {
  const { network, T } = ctx;
  const make: number[][][] = [];
  const on: number[][][] = [];
  const start: number[][][] = [];
  const available: number[][][] = [];
  network.sites.forEach((site, s) => {
    make[s] = [];
    on[s] = [];
    start[s] = [];
    available[s] = [];
    site.processes.forEach((p, k) => {
      const key = `${site.id}/${p.id}`;
      const m = p.modules;
      make[s][k] = [];
      on[s][k] = [];
      start[s][k] = [];
      available[s][k] = [];
      for (let t = 0; t < T; t++) {
        const avail = availableModules(network, site, p, t);
        available[s][k][t] = avail;
        const pl = periodLabel(t);
        const lost = lostTPerPeriod(network, site, p, t);
        const x = ctx.col(`make:${key}:${pl}`, lost > 0 ? { upper: makeLimitT(network, site, p, t) } : {});
        ctx.cost(x, p.variableCostPerT, 'production');
        const mustStayOn = t < m.minOnPeriods - m.initialOnPeriods ? Math.min(m.initiallyOn, avail) : 0;
        const y = ctx.col(`on:${key}:${pl}`, { lower: mustStayOn, upper: avail, integer: milp });
        const z = ctx.col(`start:${key}:${pl}`, { upper: m.installed, integer: milp });
        ctx.cost(z, m.startupCost, 'startups');
        make[s][k][t] = x;
        on[s][k][t] = y;
        start[s][k][t] = z;
        ctx.row(`cap:${key}:${pl}`, terms().add(x, 1).add(y, -m.capacityTPerPeriod), -Infinity, 0, {
          kind: 'module-capacity',
          text: `capacity of ${p.id} at ${site.id} in period ${t} (${m.capacityTPerPeriod} t per module)`,
          unit: 't',
        });
        // start_t ≥ on_t − on_{t−1}
        const st = terms().add(z, 1).add(y, -1);
        if (t > 0) st.add(on[s][k][t - 1], 1);
        ctx.row(`startup:${key}:${pl}`, st, t > 0 ? 0 : -m.initiallyOn, Infinity);
        if (m.minOnPeriods > 1) {
          // on_t ≥ Σ starts in the last minOnPeriods periods − modules a capacity change took away
          const minOn = terms().add(y, 1);
          for (let tau = Math.max(0, t - m.minOnPeriods + 1); tau <= t; tau++) minOn.add(start[s][k][tau], -1);
          ctx.row(`minon:${key}:${pl}`, minOn, -(m.installed - avail), Infinity);
        }
      }
    });
    // a loss of the site as a whole: all its processes together make that much less than their modules could
    for (let t = 0; t < T; t++) {
      const lost = lostTPerPeriod(network, site, undefined, t);
      if (lost <= 0) continue;
      const row = terms();
      let limit = -lost;
      site.processes.forEach((p, k) => {
        row.add(make[s][k][t], 1);
        limit += makeLimitT(network, site, p, t);
      });
      ctx.row(`derate:${site.id}:${periodLabel(t)}`, row, -Infinity, Math.max(0, limit), { kind: 'module-capacity', text: `output of ${site.id} in period ${t} less a suspected loss of ${lost} t`, unit: 't' });
    }
  });
  return { make, on, start, available };
}
