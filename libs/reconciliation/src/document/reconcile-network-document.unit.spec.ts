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
