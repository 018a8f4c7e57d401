import type { Dense } from '../linalg/dense';
import { zeros } from '../linalg/dense';
import { invalidNetwork, type FieldViolation } from '../reconciliation.error';
import { steamPT } from '../steam/iapws-if97';
import { type NonlinearOptions, type NonlinearResult, type NonlinearVariable, reconcileNonlinear } from './nonlinear-reconcile';

/** A measured or unmeasured quantity; `initial` seeds an unmeasured one. */
export interface Quantity {
  readonly measured: boolean;
  readonly value?: number;
  readonly sigma?: number;
  readonly initial?: number;
}

export type BalanceKind = 'mass' | 'energy' | 'components';

export interface EnergyNode {
  readonly id: string;
  /** Balances written for this node. Default ['mass', 'energy']. */
  readonly balances?: readonly BalanceKind[];
  /** Heat added to the node, W (negative = loss). Absent = adiabatic. */
  readonly heatInput_W?: Quantity;
}

export interface EnergyStream {
  readonly id: string;
  readonly from: string | null;
  readonly to: string | null;
  /** Mass flow, kg/s. */
  readonly flow_kg_per_s: Quantity;
  /** Temperature, K (needed when an energy balance touches the stream). */
  readonly temperature_K?: Quantity;
  /** Pressure, Pa: enthalpy from IAPWS-IF97 h(p, T) (water/steam, regions 1 and 2). */
  readonly pressure_Pa?: number;
  /** Alternative to IF97: constant specific heat, h = cp·(T − 298.15 K). */
  readonly specificHeat_J_per_kgK?: number;
  /** Mass fractions by component (needed when a component balance touches the stream). */
  readonly massFractions?: Readonly<Record<string, Quantity>>;
}

export interface EnergyNetwork {
  readonly nodes: readonly EnergyNode[];
  readonly streams: readonly EnergyStream[];
  readonly components?: readonly string[];
}

/** Energy rows are written in MW so that mass (kg/s) and energy rows have comparable scale. */
const ENERGY_SCALE = 1e-6;

/**
 * Reconciles flows, temperatures and compositions against mass, energy (flow × specific enthalpy,
 * IAPWS-IF97 or constant cp) and component (flow × mass fraction) balances: a bilinear problem
 * solved by successive linearisation with the usual statistics. Variable ids are
 * `<stream>.flow`, `<stream>.temperature`, `<stream>.w.<component>`, `<node>.heat`.
 */
export function reconcileEnergyNetwork(network: EnergyNetwork, options: NonlinearOptions = {}): NonlinearResult {
  const violations: FieldViolation[] = [];
  const nodeIndex = new Map(network.nodes.map((n, i) => [n.id, i]));
  const balances = network.nodes.map((n) => new Set(n.balances ?? ['mass', 'energy']));
  const components = network.components ?? [];
  const variables: NonlinearVariable[] = [];
  const addVar = (id: string, q: Quantity, field: string, initial: number): number => {
    if (q.measured && !(Number.isFinite(q.value) && (q.sigma as number) > 0)) violations.push({ field, description: 'a measured quantity needs a finite value and sigma > 0' });
    variables.push({ id, measured: q.measured, value: q.value, sigma: q.sigma, initial: q.initial ?? initial });
    return variables.length - 1;
  };
  interface StreamVars {
    flow: number;
    temp: number;
    fractions: Map<string, number>;
    enthalpy: (T: number) => { h: number; cp: number };
  }
  const touches = (s: EnergyStream, kind: BalanceKind): boolean =>
    [s.from, s.to].some((id) => id !== null && nodeIndex.has(id) && balances[nodeIndex.get(id) as number].has(kind));
  const streamVars: StreamVars[] = network.streams.map((s, i) => {
    const at = `streams[${i}]`;
    for (const end of ['from', 'to'] as const) {
      const id = s[end];
      if (id !== null && !nodeIndex.has(id)) violations.push({ field: `${at}.${end}`, description: `unknown node "${id}"` });
    }
    const flow = addVar(`${s.id}.flow`, s.flow_kg_per_s, `${at}.flow_kg_per_s`, 1);
    let temp = -1;
    let enthalpy: StreamVars['enthalpy'] = () => ({ h: 0, cp: 0 });
    if (touches(s, 'energy')) {
      if (!s.temperature_K) violations.push({ field: `${at}.temperature_K`, description: 'required: the stream enters an energy balance' });
      else temp = addVar(`${s.id}.temperature`, s.temperature_K, `${at}.temperature_K`, 350);
      if (s.pressure_Pa !== undefined) {
        const p = s.pressure_Pa;
        enthalpy = (T) => {
          const st = steamPT(p, T);
          return { h: st.h, cp: st.cp };
        };
      } else if (s.specificHeat_J_per_kgK !== undefined) {
        const cp = s.specificHeat_J_per_kgK;
        enthalpy = (T) => ({ h: cp * (T - 298.15), cp });
      } else violations.push({ field: `${at}.pressure_Pa`, description: 'give pressure_Pa (IAPWS-IF97) or specificHeat_J_per_kgK for a stream in an energy balance' });
    }
    const fractions = new Map<string, number>();
    if (touches(s, 'components')) {
      for (const c of components) {
        const q = s.massFractions?.[c];
        if (!q) violations.push({ field: `${at}.massFractions.${c}`, description: 'required: the stream enters a component balance' });
        else fractions.set(c, addVar(`${s.id}.w.${c}`, q, `${at}.massFractions.${c}`, 1 / Math.max(1, components.length)));
      }
    }
    return { flow, temp, fractions, enthalpy };
  });
  const heatVar = network.nodes.map((n, i) => (n.heatInput_W ? addVar(`${n.id}.heat`, n.heatInput_W, `nodes[${i}].heatInput_W`, 0) : -1));
  if (violations.length > 0) throw invalidNetwork(violations);

  interface Row {
    id: string;
    node: number;
    kind: BalanceKind;
    component?: string;
  }
  const rows: Row[] = [];
  network.nodes.forEach((n, v) => {
    if (balances[v].has('mass')) rows.push({ id: `${n.id}.mass`, node: v, kind: 'mass' });
    if (balances[v].has('energy')) rows.push({ id: `${n.id}.energy`, node: v, kind: 'energy' });
    if (balances[v].has('components')) for (const c of components) rows.push({ id: `${n.id}.${c}`, node: v, kind: 'components', component: c });
  });
  const incidence = network.nodes.map(() => [] as { s: number; sign: number }[]);
  network.streams.forEach((s, k) => {
    if (s.to !== null) incidence[nodeIndex.get(s.to) as number].push({ s: k, sign: 1 });
    if (s.from !== null) incidence[nodeIndex.get(s.from) as number].push({ s: k, sign: -1 });
  });

  const evaluateAll = (z: readonly number[], withJacobian: boolean): { f: number[]; J: Dense | null } => {
    const f = new Array<number>(rows.length).fill(0);
    const J = withJacobian ? zeros(rows.length, variables.length) : null;
    rows.forEach((row, r) => {
      for (const { s, sign } of incidence[row.node]) {
        const sv = streamVars[s];
        const F = z[sv.flow];
        if (row.kind === 'mass') {
          f[r] += sign * F;
          if (J) J[r][sv.flow] += sign;
        } else if (row.kind === 'energy') {
          const { h, cp } = sv.enthalpy(z[sv.temp]);
          f[r] += sign * F * h * ENERGY_SCALE;
          if (J) {
            J[r][sv.flow] += sign * h * ENERGY_SCALE;
            J[r][sv.temp] += sign * F * cp * ENERGY_SCALE;
          }
        } else {
          const w = sv.fractions.get(row.component as string) as number;
          f[r] += sign * F * z[w];
          if (J) {
            J[r][sv.flow] += sign * z[w];
            J[r][w] += sign * F;
          }
        }
      }
      if (row.kind === 'energy' && heatVar[row.node] >= 0) {
        f[r] += z[heatVar[row.node]] * ENERGY_SCALE;
        if (J) J[r][heatVar[row.node]] += ENERGY_SCALE;
      }
    });
    return { f, J };
  };
  return reconcileNonlinear(
    variables,
    {
      ids: rows.map((r) => r.id),
      evaluate: (z) => evaluateAll(z, false).f,
      jacobian: (z) => evaluateAll(z, true).J as Dense,
    },
    options,
  );
}
