import { parsePlantModel, type PlantModel } from '@reflux/plant-model';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { SnapshotSource } from '../../application/snapshot-source.port';

/** What the page needs of a plant model: its time zone, its units and the stream topology. */
export interface PlantView {
  readonly plantId: string;
  readonly name: string;
  /** IANA zone of the plant's (first) site; UTC when the model names none. */
  readonly timeZone: string;
  readonly units: readonly { unitId: string; name: string; type: string; areaId: string; areaName: string }[];
  readonly streams: readonly { streamId: string; name: string; kind: 'material' | 'energy'; medium: string; from: string | null; to: string | null }[];
}

export const plantViewOf = (m: PlantModel): PlantView => ({
  plantId: m.plantId,
  name: m.name,
  timeZone: m.sites.find((s) => s.timeZone)?.timeZone ?? 'UTC',
  units: m.sites.flatMap((s) => s.areas.flatMap((a) => a.units.map((u) => ({ unitId: u.id, name: u.name, type: u.type, areaId: a.id, areaName: a.name })))),
  streams: m.streams.map((s) => ({ streamId: s.id, name: s.name, kind: s.kind, medium: s.medium, from: s.from, to: s.to })),
});

/** Reads PLANT_MODEL_FILES (YAML unless the name ends in .json); a file that does not parse stops the gateway, naming it. */
export function readPlantViews(paths: readonly string[]): PlantView[] {
  return paths.map((path) => {
    const parsed = parsePlantModel(readFileSync(path, 'utf8'), extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
    if (!parsed.ok) throw new Error(`PLANT_MODEL_FILES: ${path} is not a valid plant model: ${parsed.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return plantViewOf(parsed.model);
  });
}

/**
 * `/v1/snapshot/plants[?plantId=]`: the plant models the gateway was given (time zone for local
 * times, units and streams for the overview diagram) and the default plant of the views.
 */
export class PlantModelSnapshot implements SnapshotSource {
  readonly kind = 'plants';
  readonly service = 'plant-model';
  constructor(
    private readonly plants: readonly PlantView[],
    private readonly defaultPlantId: string | undefined,
  ) {}

  read(query: URLSearchParams): Promise<unknown> {
    const only = query.get('plantId');
    return Promise.resolve({ defaultPlantId: this.defaultPlantId ?? null, plants: this.plants.filter((p) => !only || p.plantId === only) });
  }
}
