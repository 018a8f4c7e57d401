/// <reference lib="dom" />
import { fmt } from './api';
import { h, s } from './dom';
import { layoutNetwork } from './network-layout';
import type { Balance, PlantInfo, StreamFlow } from './views';

const BOX_W = 132;
const BOX_H = 46;
const STUB_W = 14;
const COL_W = BOX_W + 96;
const ROW_H = BOX_H + 30;
const PAD = 16;

/** Media carried by the energy network when only a balance (no plant model) names them. */
const ENERGY_MEDIA = new Set(['steam', 'condensate', 'electricity', 'heat', 'work', 'fuelGas', 'naturalGas', 'coolingWater', 'flueGas', 'boilerFeedWater']);

interface TopologyStream { streamId: string; name?: string; kind: 'material' | 'energy'; medium: string; from: string | null; to: string | null }

/** A closure ratio as a percentage to 0.01 % (solver round-off such as 1e-14 shows as 0.00 %). */
export const percent = (ratio: number): string => `${(Math.abs(ratio) < 5e-5 ? 0 : ratio * 100).toFixed(2)} %`;

/** Stream topology from the plant model when the gateway has it, else from the balance's streams. */
export function topologyOf(plant: PlantInfo | undefined, balance: Balance | undefined): { streams: TopologyStream[]; source: string } {
  if (plant) return { streams: plant.streams.map((x) => ({ ...x })), source: 'plant model' };
  return {
    streams: (balance?.streams ?? []).filter((x) => !x.accumulation).map((x) => ({ streamId: x.streamId, kind: ENERGY_MEDIA.has(x.medium ?? '') ? 'energy' : 'material', medium: x.medium ?? '', from: x.fromUnitId || null, to: x.toUnitId || null })),
    source: 'reconciled balance (streams with their from/to units)',
  };
}

/**
 * One network (material or energy) as a diagram: units as boxes with their closure after
 * reconciliation, streams as lines labelled with the reconciled mass flow; a unit with a suspected
 * loss and a stream whose meter is a suspected gross error are drawn in the abnormal colour.
 */
export function networkDiagram(kind: 'material' | 'energy', streams: TopologyStream[], balance: Balance | undefined, plant: PlantInfo | undefined): HTMLElement {
  const mine = streams.filter((x) => x.kind === kind);
  const box = h('div', { class: 'network', 'data-network': kind });
  if (mine.length === 0) return box.appendChild(h('p', { class: 'muted' }, `No ${kind} streams in the model.`)).parentElement!;
  const flows = new Map<string, StreamFlow>((balance?.streams ?? []).map((x) => [x.streamId, x]));
  const closures = new Map((balance?.units ?? []).map((u) => [u.unitId, u]));
  const losses = new Map((balance?.losses ?? []).map((l) => [l.unitId, l]));
  const grossStreams = new Set([...(balance?.grossErrors ?? []).map((g) => g.streamId), ...(balance?.streams ?? []).filter((x) => x.grossError).map((x) => x.streamId)]);
  const names = new Map((plant?.units ?? []).map((u) => [u.unitId, u.name]));
  const layout = layoutNetwork(mine.map((x) => ({ id: x.streamId, from: x.from, to: x.to })), plant?.units.map((u) => u.unitId));
  const pos = (id: string) => {
    const n = layout.nodes.get(id)!;
    const stub = n.boundary !== undefined;
    const x = PAD + n.layer * COL_W + (n.boundary === 'in' ? BOX_W - STUB_W : 0);
    return { x, y: PAD + n.row * ROW_H, w: stub ? STUB_W : BOX_W };
  };
  const width = PAD * 2 + layout.layers * COL_W;
  const height = PAD * 2 + layout.rows * ROW_H - 20 + (layout.edges.some((e) => e.back) ? ROW_H / 2 : 0);
  const svg = s('svg', { class: 'network-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${kind} network` });
  for (const e of layout.edges) {
    const a = pos(e.from);
    const b = pos(e.to);
    const x1 = a.x + a.w;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const d = e.back ? `M${x1},${y1} C${x1 + 40},${y1 + ROW_H * 0.8} ${x2 - 40},${y2 + ROW_H * 0.8} ${x2},${y2}` : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
    const flow = flows.get(e.id);
    const gross = grossStreams.has(e.id);
    const value = flow?.reconciledMassFlowKgPerS;
    const stream = mine.find((x) => x.streamId === e.id)!;
    const label = value === undefined || value === null ? '' : fmt(value, 'kg/s');
    svg.append(
      s('g', { 'data-stream': e.id, class: `stream${gross ? ' gross-error' : ''}${e.back ? ' recycle' : ''}` },
        s('path', { d, class: 'stream-line' }, s('title', {}, `${e.id}${stream.name ? ` ${stream.name}` : ''} (${stream.medium}): ${label || 'no reconciled flow'}${gross ? ' — suspected gross error' : ''}`)),
        label || gross ? s('text', { class: 'stream-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle' }, `${gross ? '⚠ ' : ''}${label}`) : undefined,
      ),
    );
  }
  for (const n of layout.nodes.values()) {
    const p = pos(n.id);
    if (n.boundary) {
      svg.append(s('rect', { class: 'boundary', x: p.x, y: p.y + BOX_H / 2 - 6, width: STUB_W, height: 12 }));
      continue;
    }
    const c = closures.get(n.id);
    const loss = losses.get(n.id);
    const suspect = !!loss || !!c?.suspect;
    const closure = c?.closureErrorAfterRatio;
    svg.append(
      s('g', { 'data-unit': n.id, class: `unit${suspect ? ' suspect-unit' : ''}` },
        s('rect', { x: p.x, y: p.y, width: BOX_W, height: BOX_H, class: 'unit-box' }, s('title', {}, `${n.id} ${names.get(n.id) ?? ''}`)),
        s('text', { class: 'unit-id', x: p.x + 6, y: p.y + 15 }, n.id),
        s('text', { class: 'unit-detail', x: p.x + 6, y: p.y + 29 }, closure === undefined || closure === null ? (names.get(n.id) ?? '').slice(0, 20) : `closure ${percent(closure)}`),
        suspect ? s('text', { class: 'unit-alert', x: p.x + 6, y: p.y + 42 }, loss ? `LOSS ${fmt(loss.estimatedLossKgPerS, 'kg/s')}` : 'SUSPECT') : undefined,
      ),
    );
  }
  box.append(svg);
  return box;
}
