/**
 * `node -r ./scripts/register.cjs services/safety/scripts/generate-demo-alarms.ts` writes
 * `config/demo-<plant>.alarms.json`: HH/H/L/LL limits on every tag of each demo plant, placed around
 * what the demo simulator produces in normal operation over one day (trip windows left out):
 * H/L 3 % of span beyond the 0.5–99.5 % quantiles, HH/LL a further 5 %. The tripping machine of each
 * plant gets a unit-state rule on its power meter, and its own tags' low alarms are suppressed
 * while it is tripped or shut down. The outlet temperatures of the fouling exchanger drift over the
 * day: their limits are placed around the first two hours only (so the drift reaches them during the
 * day) and they get trend prediction, so an early warning precedes their alarms.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { createSampleGenerator, dailyDemoScenario, DEMO_TARGETS } from '@reflux/plant-simulation';

const PLANTS = { petrochemical: { unitPowerTag: 'JI-2004' }, steelworks: { unitPowerTag: 'JI-9031' } } as const;
const DAY = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
const round = (v: number, span: number) => Number(v.toPrecision(Math.max(3, Math.ceil(Math.log10(Math.abs(v) / (span * 1e-3) + 1)))));

for (const [name, { unitPowerTag }] of Object.entries(PLANTS)) {
  const model = loadDemoPlant(name as keyof typeof PLANTS);
  const graph = new PlantGraph(model);
  const generator = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, 42));
  const machine = DEMO_TARGETS[model.plantId].trippingMachine;
  const exchanger = DEMO_TARGETS[model.plantId].foulingExchanger;
  const exchangerOutlets = new Set(model.streams.filter((s) => s.from === exchanger).map((s) => s.id));
  const drifting = new Set(model.tags.filter((t) => t.kind === 'temperature' && t.streamId !== undefined && exchangerOutlets.has(t.streamId)).map((t) => t.id));
  const values = new Map<string, number[]>();
  for (let t = DAY; t < DAY + 24 * HOUR; t += 30_000) {
    if ((t - DAY) % (4 * HOUR) >= 3 * HOUR + 15 * 60_000) continue; // trip and recovery
    for (const s of generator.samplesAt(t)) {
      if (drifting.has(s.tagId) && t >= DAY + 2 * HOUR) continue; // fouling: limits around the clean exchanger
      if (!values.has(s.tagId)) values.set(s.tagId, []);
      values.get(s.tagId)!.push(s.value);
    }
  }
  const areaOfUnit = new Map<string, string>();
  for (const site of model.sites) for (const area of site.areas) for (const unit of area.units) areaOfUnit.set(unit.id, area.id);
  const machineStreams = new Set(model.streams.filter((s) => s.from === machine || s.to === machine).map((s) => s.id));
  const areaOfTag = (tag: (typeof model.tags)[number]) => {
    const stream = model.streams.find((s) => s.id === tag.streamId);
    const unitId = tag.unitId ?? stream?.to ?? stream?.from ?? undefined;
    return (unitId && areaOfUnit.get(unitId)) ?? 'site';
  };
  const tags = model.tags.map((tag) => {
    const sorted = (values.get(tag.id) ?? []).sort((a, b) => a - b);
    const span = tag.range.max - tag.range.min;
    const lo = quantile(sorted, 0.005);
    const hi = quantile(sorted, 0.995);
    const highPriority = tag.kind === 'pressure' || tag.kind === 'temperature' ? 'high' : 'medium';
    const onMachine = tag.streamId !== undefined && machineStreams.has(tag.streamId);
    const area = areaOfTag(tag);
    return {
      tagId: tag.id,
      area,
      console: `console-${area}`,
      ...(onMachine && { unitId: machine }),
      engineeringUnit: tag.unit,
      limits: {
        HH: { value: round(hi + 0.08 * span, span), priority: highPriority },
        H: { value: round(hi + 0.03 * span, span), priority: 'low' },
        L: { value: round(lo - 0.03 * span, span), priority: 'low' },
        LL: { value: round(lo - 0.08 * span, span), priority: 'medium' },
      },
      deadband: round(0.01 * span, span),
      onDelayS: 5,
      offDelayS: 10,
      badQuality: { priority: 'low' },
      ...(onMachine && { suppressInStates: ['tripped', 'shutdown', 'maintenance'] }),
      ...(drifting.has(tag.id) && { trend: { windowS: 3600, horizonS: 14_400, everyS: 60, consecutive: 3, minPoints: 60 } }),
    };
  });
  const power = values.get(unitPowerTag)!.sort((a, b) => a - b);
  const document = {
    plantId: model.plantId,
    timeZone: model.sites[0]?.timeZone ?? 'UTC',
    tags,
    units: [
      { unitId: machine, area: areaOfUnit.get(machine) ?? 'site', rule: { kind: 'thresholds', signals: [{ tagId: unitPowerTag, minRunning: round(0.3 * quantile(power, 0.5), 1) }], delayS: 5 } },
    ],
  };
  const out = join(__dirname, '..', 'config', `demo-${name}.alarms.json`);
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${out}: ${tags.length} tags\n`);
}
