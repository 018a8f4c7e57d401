import { layoutNetwork } from './network-layout';

describe('layered layout of the overview networks', () => {
  it('puts feeds left of their unit, products right of theirs, and units after their suppliers', () => {
    const l = layoutNetwork([
      { id: 'feed', from: null, to: 'A' },
      { id: 'ab', from: 'A', to: 'B' },
      { id: 'bc', from: 'B', to: 'C' },
      { id: 'ac', from: 'A', to: 'C' },
      { id: 'prod', from: 'C', to: null },
    ]);
    const layer = (id: string) => l.nodes.get(id)!.layer;
    expect([layer('in:feed'), layer('A'), layer('B'), layer('C'), layer('out:prod')]).toEqual([0, 1, 2, 3, 4]);
    expect(l.nodes.get('in:feed')!.boundary).toBe('in');
    expect(l.edges.every((e) => !e.back)).toBe(true);
  });

  it('lays out a recycle without looping: the edge back to an upstream unit is drawn as a recycle', () => {
    const l = layoutNetwork([
      { id: 'feed', from: null, to: 'R' },
      { id: 'rs', from: 'R', to: 'S' },
      { id: 'recycle', from: 'S', to: 'R' },
      { id: 'prod', from: 'S', to: null },
    ]);
    expect(l.nodes.get('S')!.layer).toBeGreaterThan(l.nodes.get('R')!.layer);
    expect(l.edges.filter((e) => e.back).map((e) => e.id)).toEqual(['recycle']);
  });

  it('lays out a network that is only a cycle (no feed) and gives every unit its own place', () => {
    const l = layoutNetwork([
      { id: 'x', from: 'A', to: 'B' },
      { id: 'y', from: 'B', to: 'A' },
    ]);
    const places = [...l.nodes.values()].map((n) => `${n.layer}/${n.row}`);
    expect(new Set(places).size).toBe(2);
  });
});
