import { parsePlantModel } from '../model/plant-model.parse';
import { SMALL_PLANT_YAML } from '../model/plant-model.fixture';
import { PlantGraph, denseIncidence } from './plant-graph';

const graph = () => {
  const result = parsePlantModel(SMALL_PLANT_YAML, 'yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return new PlantGraph(result.model);
};
const ids = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();

describe('PlantGraph', () => {
  it('lists units with their site and area', () => {
    const g = graph();
    expect(ids(g.units())).toEqual(['H-1', 'P-1', 'TK-1']);
    expect(g.locate('P-1')).toMatchObject({ site: { id: 'site-a' }, area: { id: 'area-1' } });
  });

  it('gives the streams into and out of a unit', () => {
    const g = graph();
    expect(ids(g.streamsIn('P-1'))).toEqual(['power', 'tank-out']);
    expect(ids(g.streamsOut('P-1'))).toEqual(['pumped']);
    expect(ids(g.streamsIn('H-1'))).toEqual(['fuel', 'pumped']);
  });

  it('separates boundary, material and energy streams', () => {
    const g = graph();
    expect(ids(g.boundaryStreams())).toEqual(['feed', 'flue', 'fuel', 'hot-oil', 'power']);
    expect(ids(g.energyStreams())).toEqual(['fuel', 'power']);
    expect(ids(g.materialStreams())).toEqual(['feed', 'flue', 'hot-oil', 'pumped', 'tank-out']);
    expect(ids(g.massStreams())).not.toContain('power');
  });

  it('finds tags by id, stream and unit', () => {
    const g = graph();
    expect(g.tag('TI-1')).toMatchObject({ streamId: 'hot-oil', unit: 'degC' });
    expect(ids(g.tagsOfStream('tank-out'))).toEqual(['FI-1', 'FI-2']);
    expect(ids(g.tagsOfUnit('TK-1'))).toEqual(['LI-1']);
    expect(g.findTag('nope')).toBeUndefined();
  });

  it('throws a coded error for an unknown id', () => {
    const g = graph();
    expect(() => g.tag('XX-1')).toThrow(expect.objectContaining({ code: 'PLANT_MODEL.UNKNOWN_TAG' }));
    expect(() => g.streamsIn('nope')).toThrow(expect.objectContaining({ code: 'PLANT_MODEL.UNKNOWN_UNIT' }));
    expect(() => g.stream('nope')).toThrow(expect.objectContaining({ code: 'PLANT_MODEL.UNKNOWN_STREAM' }));
  });

  it('builds the node × stream incidence matrix of the mass streams (+1 in, −1 out)', () => {
    const g = graph();
    const matrix = g.incidenceMatrix();
    expect(matrix.nodeIds).toEqual(['TK-1', 'P-1', 'H-1']);
    expect(matrix.streamIds).toEqual(['feed', 'tank-out', 'pumped', 'fuel', 'hot-oil', 'flue']);
    expect(denseIncidence(matrix)).toEqual([
      [1, -1, 0, 0, 0, 0],
      [0, 1, -1, 0, 0, 0],
      [0, 0, 1, 1, -1, -1],
    ]);
  });

  it('takes a stream filter for other balances', () => {
    const matrix = graph().incidenceMatrix((stream) => stream.medium === 'electricity');
    expect(matrix.streamIds).toEqual(['power']);
    expect(matrix.entries).toEqual([{ row: 1, column: 0, value: 1 }]);
  });
});
