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

describe('layout of a crude train whose preheat exchangers are heated by the column products', () => {
  it('follows the crude from its feed through the exchangers to the column; the hot side is the recycle', () => {
    const l = layoutNetwork(
      [
        { id: 'crude', from: null, to: 'TK' },
        { id: 'fuel', from: null, to: 'H' },
        { id: 'tk-e', from: 'TK', to: 'E' },
        { id: 'e-h', from: 'E', to: 'H' },
        { id: 'h-c', from: 'H', to: 'C' },
        { id: 'c-e', from: 'C', to: 'E' },
        { id: 'product', from: 'E', to: null },
      ],
      ['TK', 'E', 'H', 'C'],
    );
    const layer = (id: string) => l.nodes.get(id)!.layer;
    expect([layer('TK'), layer('E'), layer('H'), layer('C')]).toEqual([1, 2, 3, 4]);
    expect(l.edges.filter((e) => e.back).map((e) => e.id)).toEqual(['c-e']);
  });
});
