import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { refluxBalancingV1 as v1 } from '@reflux/proto';
import { parseListSuspectsRequest, parseReconcileRequest } from './balancing.grpc-requests';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));
const graphOf = (plantId: string) => (plantId === graph.plantId ? graph : undefined);
const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const window = { startTime: ts('2026-11-23T10:00:00Z'), endTime: ts('2026-11-23T11:00:00Z') };
const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { fieldViolations: { field: string }[] }).fieldViolations.map((v) => v.field);
  }
  return [];
};

describe('Reconcile request parsing', () => {
  it('converts given measurements and their standard deviations to the tag unit', () => {
    // FI-1005 is in t/h; 150 kg/s = 540 t/h, sd 1 kg/s = 3.6 t/h
    const input = parseReconcileRequest(
      { plantId: graph.plantId, window, dryRun: true, alpha: null, measurements: [{ tagId: 'FI-1005', value: 150, unit: 'kg/s', standardDeviation: 1, levelChange: null }] },
      graphOf,
    );
    const m = input.measurements!.get('FI-1005')!;
    expect(m.value).toBeCloseTo(540, 9);
    expect(m.standardDeviation).toBeCloseTo(3.6, 9);
    expect(m.sigmaExplicit).toBe(true);
    expect(input.window).toEqual({ start: new Date('2026-11-23T10:00:00Z'), end: new Date('2026-11-23T11:00:00Z') });
  });

  it('reports a missing window, a repeated tag and an analyser value in a unit that is no fraction with their paths', () => {
    const fields = violationsOf(() =>
      parseReconcileRequest(
        {
          plantId: graph.plantId,
          window: null,
          dryRun: false,
          alpha: null,
          measurements: [
            { tagId: 'FI-1005', value: 1, unit: '', standardDeviation: null, levelChange: null },
            { tagId: 'FI-1005', value: 2, unit: '', standardDeviation: null, levelChange: null },
            { tagId: 'AI-2003', value: 20, unit: 'kg/s', standardDeviation: null, levelChange: null },
          ],
        },
        graphOf,
      ),
    );
    expect(fields).toEqual(['window', 'measurements[1].tag_id', 'measurements[2].unit']);
  });

  it('accepts a composition analyser for the component balances and converts its value to the tag unit', () => {
    const parsed = parseReconcileRequest(
      {
        plantId: graph.plantId,
        window,
        dryRun: true,
        alpha: null,
        measurements: [{ tagId: 'AI-2003', value: 0.55, unit: 'mass fraction', standardDeviation: 0.01, levelChange: null }],
      },
      graphOf,
    );
    const average = parsed.measurements!.get('AI-2003');
    expect(average?.value).toBeCloseTo(55, 10); // the tag is in %
    expect(average?.standardDeviation).toBeCloseTo(1, 10);
  });
});

describe('ListSuspects request parsing', () => {
  it('defaults the page size and maps the kind filter', () => {
    const q = parseListSuspectsRequest({ plantId: 'p', range: window, kind: v1.SuspectKind.SUSPECT_KIND_LOSS, pageSize: 0, pageToken: '' });
    expect(q).toMatchObject({ kind: 'loss', pageSize: 100 });
  });

  it('rejects a reversed range', () => {
    expect(violationsOf(() => parseListSuspectsRequest({ plantId: 'p', range: { startTime: window.endTime, endTime: window.startTime }, kind: v1.SuspectKind.SUSPECT_KIND_UNSPECIFIED, pageSize: 10, pageToken: '' }))).toEqual(['range.end_time']);
  });
});
