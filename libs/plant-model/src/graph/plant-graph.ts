import { POWER_ONLY_MEDIA, type Area, type PlantModel, type Site, type Stream, type Tag, type Unit } from '../model/plant-model.schema';
import { PlantModelError } from '../model/plant-model.errors';

export interface UnitLocation {
  readonly site: Site;
  readonly area: Area;
  readonly unit: Unit;
}

/** Node × stream incidence: +1 where the stream enters the node, −1 where it leaves. */
export interface IncidenceMatrix {
  readonly nodeIds: readonly string[];
  readonly streamIds: readonly string[];
  /** Sparse non-zero entries. */
  readonly entries: readonly { readonly row: number; readonly column: number; readonly value: 1 | -1 }[];
}

export class UnknownPlantElementError extends PlantModelError {
  constructor(kind: 'unit' | 'stream' | 'tag', id: string) {
    super(`PLANT_MODEL.UNKNOWN_${kind.toUpperCase()}`, `unknown ${kind} "${id}"`);
  }
}

/** Read-only graph queries over a validated plant model (units are nodes, streams are edges). */
export class PlantGraph {
  private readonly unitsById = new Map<string, UnitLocation>();
  private readonly streamsById = new Map<string, Stream>();
  private readonly tagsById = new Map<string, Tag>();
  private readonly inbound = new Map<string, Stream[]>();
  private readonly outbound = new Map<string, Stream[]>();
  private readonly tagsByStream = new Map<string, Tag[]>();
  private readonly tagsByUnit = new Map<string, Tag[]>();

  constructor(readonly model: PlantModel) {
    for (const site of model.sites)
      for (const area of site.areas)
        for (const unit of area.units) {
          this.unitsById.set(unit.id, { site, area, unit });
          this.inbound.set(unit.id, []);
          this.outbound.set(unit.id, []);
        }
    for (const stream of model.streams) {
      this.streamsById.set(stream.id, stream);
      if (stream.to !== null) this.inbound.get(stream.to)?.push(stream);
      if (stream.from !== null) this.outbound.get(stream.from)?.push(stream);
      this.tagsByStream.set(stream.id, []);
    }
    for (const tag of model.tags) {
      this.tagsById.set(tag.id, tag);
      if (tag.streamId !== undefined) this.tagsByStream.get(tag.streamId)?.push(tag);
      if (tag.unitId !== undefined) {
        const list = this.tagsByUnit.get(tag.unitId) ?? [];
        list.push(tag);
        this.tagsByUnit.set(tag.unitId, list);
      }
    }
  }

  get plantId(): string {
    return this.model.plantId;
  }

  units(): Unit[] {
    return [...this.unitsById.values()].map((location) => location.unit);
  }

  unit(id: string): Unit {
    return this.locate(id).unit;
  }

  hasUnit(id: string): boolean {
    return this.unitsById.has(id);
  }

  /** Site and area a unit belongs to. */
  locate(unitId: string): UnitLocation {
    const location = this.unitsById.get(unitId);
    if (!location) throw new UnknownPlantElementError('unit', unitId);
    return location;
  }

  streams(): readonly Stream[] {
    return this.model.streams;
  }

  stream(id: string): Stream {
    const stream = this.streamsById.get(id);
    if (!stream) throw new UnknownPlantElementError('stream', id);
    return stream;
  }

  streamsIn(unitId: string): readonly Stream[] {
    this.locate(unitId);
    return this.inbound.get(unitId) ?? [];
  }

  streamsOut(unitId: string): readonly Stream[] {
    this.locate(unitId);
    return this.outbound.get(unitId) ?? [];
  }

  /** Streams that cross the plant boundary (one end null). */
  boundaryStreams(): Stream[] {
    return this.model.streams.filter((stream) => stream.from === null || stream.to === null);
  }

  materialStreams(): Stream[] {
    return this.model.streams.filter((stream) => stream.kind === 'material');
  }

  energyStreams(): Stream[] {
    return this.model.streams.filter((stream) => stream.kind === 'energy');
  }

  /** Streams that carry mass (material streams and utilities such as steam or fuel gas). */
  massStreams(): Stream[] {
    return this.model.streams.filter((stream) => carriesMass(stream));
  }

  tags(): readonly Tag[] {
    return this.model.tags;
  }

  tag(id: string): Tag {
    const tag = this.tagsById.get(id);
    if (!tag) throw new UnknownPlantElementError('tag', id);
    return tag;
  }

  findTag(id: string): Tag | undefined {
    return this.tagsById.get(id);
  }

  tagsOfStream(streamId: string): readonly Tag[] {
    this.stream(streamId);
    return this.tagsByStream.get(streamId) ?? [];
  }

  tagsOfUnit(unitId: string): readonly Tag[] {
    this.locate(unitId);
    return this.tagsByUnit.get(unitId) ?? [];
  }

  /**
   * Incidence matrix of units (rows) against streams (columns), for reconciliation. By default the
   * mass-carrying streams; pass a filter for another balance (e.g. one medium).
   */
  incidenceMatrix(include: (stream: Stream) => boolean = carriesMass): IncidenceMatrix {
    const nodeIds = [...this.unitsById.keys()];
    const row = new Map(nodeIds.map((id, index) => [id, index]));
    const streams = this.model.streams.filter(include);
    const entries: { row: number; column: number; value: 1 | -1 }[] = [];
    streams.forEach((stream, column) => {
      if (stream.to !== null) entries.push({ row: row.get(stream.to)!, column, value: 1 });
      if (stream.from !== null) entries.push({ row: row.get(stream.from)!, column, value: -1 });
    });
    entries.sort((a, b) => a.row - b.row || a.column - b.column);
    return { nodeIds, streamIds: streams.map((stream) => stream.id), entries };
  }
}

export const carriesMass = (stream: Stream): boolean => !(POWER_ONLY_MEDIA as readonly string[]).includes(stream.medium);

/** Dense form of an incidence matrix, rows by node. */
export const denseIncidence = (matrix: IncidenceMatrix): number[][] => {
  const dense = matrix.nodeIds.map(() => matrix.streamIds.map(() => 0));
  for (const { row, column, value } of matrix.entries) dense[row][column] = value;
  return dense;
};
