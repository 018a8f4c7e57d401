import { reconcile, type StreamClassification } from '@reflux/reconciliation';
import { nominalTagAverages, buildPlantNetwork } from '../domain/plant-network.mapper';
import type { PlantModelRegistry } from './plant-model.registry';

export interface ClassificationView {
  readonly plantId: string;
  readonly plantModelVersion: number;
  readonly streams: readonly {
    readonly streamId: string;
    readonly from: string | null;
    readonly to: string | null;
    readonly tagIds: readonly string[];
    readonly measured: boolean;
    readonly classification: StreamClassification;
    readonly accumulation: boolean;
  }[];
  readonly counts: { streams: number; measured: number; redundant: number; nonredundant: number; observable: number; unobservable: number };
  readonly degreesOfFreedom: number;
}

/**
 * Observability and redundancy of the plant's instrumentation: which flows the balances determine
 * with every modelled flow and level tag reporting. Classification depends on the structure only,
 * so it is computed once per plant-model version (on nominal values) and cached.
 */
export class ClassificationQuery {
  private readonly cache = new Map<string, Promise<ClassificationView>>();

  constructor(
    private readonly models: PlantModelRegistry,
    private readonly windowS: number,
  ) {}

  classify(plantId: string): Promise<ClassificationView> {
    const { version } = this.models.current(plantId);
    const key = `${plantId}@${version}`;
    let view = this.cache.get(key);
    if (!view) {
      view = this.compute(plantId);
      this.cache.set(key, view);
      view.catch(() => this.cache.delete(key));
    }
    return view;
  }

  private async compute(plantId: string): Promise<ClassificationView> {
    const { graph, version } = this.models.current(plantId);
    const mapping = buildPlantNetwork(graph, nominalTagAverages(graph, this.windowS), { windowS: this.windowS, sigmaSource: 'tag' });
    const result = await reconcile(mapping.network, { maxEliminations: 0, unmeasuredSigmas: false, bounds: false });
    const byStream = new Map(mapping.streams.map((s) => [s.streamId, s]));
    const byTank = new Map(mapping.tanks.map((t) => [t.accumulationId, t]));
    // a stream's second and later meters are network segments, not plant streams
    const plantFlows = result.streams.filter((s) => (mapping.redundantMeters.get(s.id)?.streamId ?? s.id) === s.id);
    const count = (c: StreamClassification): number => plantFlows.filter((s) => s.classification === c).length;
    return {
      plantId,
      plantModelVersion: version,
      streams: plantFlows.map((s) => {
        const m = byStream.get(s.id);
        const tank = byTank.get(s.id);
        return {
          streamId: s.id,
          from: m ? m.from : (tank?.unitId ?? null),
          to: m ? m.to : null,
          tagIds: m?.tagIds ?? tank?.levelTagIds ?? [],
          measured: s.measured,
          classification: s.classification,
          accumulation: s.kind === 'accumulation',
        };
      }),
      counts: {
        streams: plantFlows.length,
        measured: plantFlows.filter((s) => s.measured).length,
        redundant: count('redundant'),
        nonredundant: count('nonredundant'),
        observable: count('observable'),
        unobservable: count('unobservable'),
      },
      degreesOfFreedom: result.globalTest.dof,
    };
  }
}
