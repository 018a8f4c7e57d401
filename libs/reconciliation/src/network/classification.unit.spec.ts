import { compileNetwork } from './compile-network';
import { classify } from './classification';
import type { Network, NetworkStream } from './network.types';

const m = (id: string, from: string | null, to: string | null): NetworkStream => ({ id, from, to, measured: true, value: 10, sigma: 1 });
const u = (id: string, from: string | null, to: string | null): NetworkStream => ({ id, from, to, measured: false });

function classesOf(network: Network): Record<string, string> {
  const model = compileNetwork(network);
  const c = classify(model);
  const out: Record<string, string> = {};
  model.ids.forEach((id, e) => {
    out[id] = model.measured[e] ? (c.redundant[e] ? 'redundant' : 'nonredundant') : c.observable[e] ? 'observable' : 'unobservable';
  });
  return out;
}

describe('graph classification (Kretsovalis–Mah)', () => {
  it('finds unobservable flows on a cycle of unmeasured streams and non-redundant meters inside a merged group', () => {
    // A–B joined by two unmeasured parallel streams (a cycle): neither is observable, and the
    // meter S8 between A and B only sees the merged group A+B, so it is not redundant.
    const network: Network = {
      nodes: ['A', 'B', 'C', 'D'].map((id) => ({ id })),
      streams: [m('S1', null, 'A'), u('S2', 'A', 'B'), u('S3', 'A', 'B'), m('S4', 'B', 'C'), u('S5', 'C', null), m('S6', 'C', 'D'), m('S7', 'D', 'C'), m('S8', 'A', 'B')],
    };
    expect(classesOf(network)).toEqual({
      S1: 'redundant',
      S2: 'unobservable',
      S3: 'unobservable',
      S4: 'redundant',
      S5: 'observable',
      S6: 'redundant',
      S7: 'redundant',
      S8: 'nonredundant',
    });
  });

  it('makes a meter non-redundant when an unmeasured stream runs in parallel to the boundary', () => {
    // Feed F measured, product P unmeasured: the only balance contains P, so F cannot be checked.
    const network: Network = { nodes: [{ id: 'N' }], streams: [m('F', null, 'N'), u('P', 'N', null)] };
    expect(classesOf(network)).toEqual({ F: 'nonredundant', P: 'observable' });
  });

  it('classifies a serial chain with every other stream unmeasured (Crowe 1986 style)', () => {
    // env → N1 → N2 → N3 → N4 → env with S2 and S4 unmeasured: groups {N1,N2}, {N3,N4}.
    const network: Network = {
      nodes: ['N1', 'N2', 'N3', 'N4'].map((id) => ({ id })),
      streams: [m('S1', null, 'N1'), u('S2', 'N1', 'N2'), m('S3', 'N2', 'N3'), u('S4', 'N3', 'N4'), m('S5', 'N4', null)],
    };
    expect(classesOf(network)).toEqual({ S1: 'redundant', S2: 'observable', S3: 'redundant', S4: 'observable', S5: 'redundant' });
  });

  it('agrees with the rank definition on random networks (projection check)', () => {
    // Unobservable ⇔ the unit vector e_j is not in the row space of the unmeasured incidence columns'
    // complement; checked by brute force: an unmeasured flow is observable iff dropping it changes
    // the rank of the unmeasured incidence matrix.
    let seed = 3;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 30; trial++) {
      const nodes = 6;
      const streams: NetworkStream[] = [];
      for (let k = 0; k < 12; k++) {
        const a = Math.floor(rand() * (nodes + 1));
        let b = Math.floor(rand() * (nodes + 1));
        if (b === a) b = (a + 1) % (nodes + 1);
        const name = (v: number): string | null => (v === nodes ? null : `N${v}`);
        streams.push(rand() < 0.4 ? u(`S${k}`, name(a), name(b)) : m(`S${k}`, name(a), name(b)));
      }
      const network: Network = { nodes: Array.from({ length: nodes }, (_, i) => ({ id: `N${i}` })), streams };
      const classes = classesOf(network);
      const incidence = (cols: NetworkStream[]): number[][] =>
        Array.from({ length: nodes }, (_, i) => cols.map((s) => (s.to === `N${i}` ? 1 : 0) - (s.from === `N${i}` ? 1 : 0)));
      const unmeasured = streams.filter((s) => !s.measured);
      const measured = streams.filter((s) => s.measured);
      const full = rank(incidence(unmeasured));
      for (const s of unmeasured) {
        const without = rank(incidence(unmeasured.filter((t) => t !== s)));
        expect(classes[s.id]).toBe(without < full ? 'observable' : 'unobservable');
      }
      // Redundant ⇔ the measured column is not in the span of the unmeasured columns (nonzero after projection).
      for (const s of measured) {
        const withIt = rank(incidence([...unmeasured, s]));
        expect(classes[s.id]).toBe(withIt > full ? 'redundant' : 'nonredundant');
      }
    }
  });
});

function rank(a: number[][]): number {
  const m = a.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let p = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
    if (Math.abs(m[p][c]) < 1e-9) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i][c] / m[r][c];
      for (let k = c; k < cols; k++) m[i][k] -= f * m[r][k];
    }
    r++;
  }
  return r;
}
