import { handSolvedNetwork } from '../testing/small-networks';
import { networkJsonSchema, parseNetwork, parseOrder } from './parse-network';
import { SupplyChainErrorCode, type SupplyChainError } from './supply-chain.errors';

function violationsOf(f: () => unknown): { code: string; fields: string[] } {
  try {
    f();
  } catch (error) {
    const e = error as SupplyChainError;
    return { code: e.code, fields: e.violations.map((v) => v.field) };
  }
  throw new Error('expected an error');
}

describe('parseNetwork', () => {
  it('accepts the hand-solved network and fills defaults', () => {
    const n = parseNetwork(handSolvedNetwork);
    expect(n.weights).toEqual({ cost: 1, co2: 1, risk: 1 });
    expect(n.sites[0].processes[0].modules.minOnPeriods).toBe(1);
  });

  it('reports every bad field by its path, schema and cross-references alike', () => {
    const bad = structuredClone(handSolvedNetwork) as Record<string, unknown> & typeof handSolvedNetwork;
    (bad.lanes as { to: string }[])[0].to = 'nowhere';
    (bad.orders as { duePeriod: number }[])[0].duePeriod = 7;
    expect(violationsOf(() => parseNetwork(bad))).toEqual({ code: SupplyChainErrorCode.invalidNetwork, fields: ['lanes[0].to', 'orders[0].duePeriod'] });
    const negative = structuredClone(handSolvedNetwork);
    (negative.sites[0].processes![0].modules as { capacityTPerPeriod: number }).capacityTPerPeriod = -1;
    expect(violationsOf(() => parseNetwork(negative)).fields).toEqual(['sites[0].processes[0].modules.capacityTPerPeriod']);
  });

  it('rejects an order for an unknown product and customer with both fields named', () => {
    const n = parseNetwork(handSolvedNetwork);
    const o = { id: 'X', customer: 'nobody', product: 'Q', quantityT: 5, duePeriod: 0, latenessPenaltyPerTPerPeriod: 1, shortfallPenaltyPerT: 1 };
    expect(violationsOf(() => parseOrder(o, n))).toEqual({ code: SupplyChainErrorCode.invalidOrder, fields: ['order.product', 'order.customer'] });
  });

  it('publishes a JSON schema of the document that requires sites, materials and the horizon', () => {
    const schema = networkJsonSchema() as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'horizon', 'materials', 'sites']));
  });
});
