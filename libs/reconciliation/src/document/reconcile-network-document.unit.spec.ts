import { ReconciliationErrorCode } from '../reconciliation.error';
import { reconcileNetworkDocument } from './reconcile-network-document';

const doc = (x: unknown): string => JSON.stringify(x);

describe('reconcileNetworkDocument', () => {
  it('reconciles a valid document and returns plain JSON', async () => {
    const result = await reconcileNetworkDocument(
      doc({
        nodes: [{ id: 'N1' }],
        streams: [
          { id: 'F', from: null, to: 'N1', measured: true, value: 10.2, sigma: 0.25, lower: 0, upper: null },
          { id: 'P', from: 'N1', to: null, measured: true, value: 9.8, sigma: 0.25 },
        ],
      }),
      { alpha: 0.05 },
    );
    expect(result.streams.map((s) => s.reconciled)).toEqual([10, 10].map((v) => expect.closeTo(v, 10)));
    expect(result.globalTest.dof).toBe(1);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('lists every problem with its path: dangling ids, duplicates, missing value, sigma ≤ 0', async () => {
    const error = await reconcileNetworkDocument(
      doc({
        nodes: [{ id: 'N1' }],
        streams: [
          { id: 'S1', from: null, to: 'N9', measured: true, value: 1, sigma: 0.1 },
          { id: 'S1', from: 'N1', to: null, measured: true, sigma: 0.1 },
          { id: 'S3', from: 'N1', to: null, measured: true, value: 2, sigma: 0 },
        ],
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ReconciliationErrorCode.invalidNetwork, retriable: false });
    const fields = (error as { violations: { field: string }[] }).violations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['streams[0].to', 'streams[1].id', 'streams[1].value', 'streams[2].sigma']));
  });

  it('reports schema errors with their JSON path', async () => {
    const error = await reconcileNetworkDocument(doc({ nodes: [{ id: 'N1' }], streams: [{ id: 'S1', from: null, to: 'N1', measured: 'yes' }] })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ReconciliationErrorCode.invalidNetwork, violations: [expect.objectContaining({ field: 'streams[0].measured' })] });
  });

  it('rejects text that is not JSON', async () => {
    await expect(reconcileNetworkDocument('{nodes:')).rejects.toMatchObject({ code: ReconciliationErrorCode.invalidNetwork, violations: [expect.objectContaining({ field: '$' })] });
  });

  it('rejects unknown options', async () => {
    await expect(reconcileNetworkDocument(doc({ nodes: [], streams: [] }), { alpha: 0 })).rejects.toMatchObject({ code: ReconciliationErrorCode.invalidOptions });
  });
});

describe('reconcileNetworkDocument: full documents', () => {
  it('accepts tanks, covariances and meter ranges and reports active bounds', async () => {
    const result = await reconcileNetworkDocument(
      doc({
        flowUnit: 'kg/s',
        nodes: [{ id: 'TK', accumulation: { measured: true, value: 1, sigma: 0.2 } }, { id: 'MIX' }],
        streams: [
          { id: 'A', from: null, to: 'TK', measured: true, value: 10, sigma: 0.2, upper: 10.1 },
          { id: 'B', from: 'TK', to: 'MIX', measured: true, value: 9.5, sigma: 0.2 },
          { id: 'C', from: null, to: 'MIX', measured: true, value: 3, sigma: 0.1 },
          { id: 'D', from: 'MIX', to: null, measured: true, value: 12.2, sigma: 0.3 },
        ],
        covariance: [{ a: 'B', b: 'D', value: 0.02 }],
      }),
    );
    expect(result.counts).toMatchObject({ streams: 5, measured: 5, redundant: 5 });
    const tank = result.nodes.find((n) => n.id === 'TK');
    expect(tank?.imbalanceAfter).toBeCloseTo(0, 6);
    for (const s of result.streams) if (s.id === 'A') expect(s.reconciled as number).toBeLessThanOrEqual(10.1 + 1e-9);
  });

  it('rejects a covariance that names an unmeasured stream or exceeds the sigmas', async () => {
    const error = await reconcileNetworkDocument(
      doc({
        nodes: [{ id: 'N' }],
        streams: [
          { id: 'A', from: null, to: 'N', measured: true, value: 1, sigma: 0.1 },
          { id: 'B', from: 'N', to: null, measured: false },
          { id: 'C', from: 'N', to: null, measured: true, value: 1, sigma: 0.1 },
        ],
        covariance: [
          { a: 'A', b: 'B', value: 0.001 },
          { a: 'A', b: 'C', value: 0.5 },
        ],
      }),
    ).catch((e: unknown) => e);
    const fields = (error as { violations: { field: string }[] }).violations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['covariance[0].b', 'covariance[1].value']));
  });
});
