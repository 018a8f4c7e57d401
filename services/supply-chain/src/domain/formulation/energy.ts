import { terms } from '@reflux/optimization';
import { energyCarriers, valueAt } from '../network.schema';
import { periodLabel, type FormulationContext } from './context';
import type { ProductionVariables } from './production';

/** Energy bought per site, supply (PV, wind, grid, electrolyser) and period, by column. */
export interface EnergyVariables {
  readonly use: { readonly site: number; readonly supply: string; readonly carrier: string; readonly period: number; readonly column: number }[];
}

/**
 * Per site, carrier and period: what the processes need (energy per tonne × tonnes made) equals
 * what the site's supplies give, each within its availability, at its price and CO₂ factor.
 */
export function formulateEnergy(ctx: FormulationContext, prod: ProductionVariables): EnergyVariables {
  const use: EnergyVariables['use'][number][] = [];
  ctx.network.sites.forEach((site, s) => {
    for (const carrier of energyCarriers) {
      const needs = site.processes.map((p, k) => ({ k, perT: p.energyMWhPerT[carrier] })).filter((x) => x.perT > 0);
      if (needs.length === 0) continue;
      const supplies = site.energy.filter((e) => e.carrier === carrier);
      for (let t = 0; t < ctx.T; t++) {
        const row = terms();
        for (const e of supplies) {
          const x = ctx.col(`energy:${site.id}/${e.id}:${periodLabel(t)}`, { upper: valueAt(e.maxMWhPerPeriod, t) });
          ctx.cost(x, valueAt(e.pricePerMWh, t), 'energy');
          ctx.co2(x, valueAt(e.co2TPerMWh, t));
          row.add(x, 1);
          use.push({ site: s, supply: e.id, carrier, period: t, column: x });
        }
        for (const n of needs) row.add(prod.make[s][n.k][t], -n.perT);
        ctx.row(`energy:${site.id}/${carrier}:${periodLabel(t)}`, row, 0, 0, { kind: 'energy', text: `${carrier} balance of ${site.id} in period ${t}`, unit: 'MWh' });
      }
    }
  });
  return { use };
}
