/**
 * `node -r ./scripts/register.cjs services/safety/scripts/generate-demo-alarms.ts` writes
 * `config/demo-<plant>.alarms.json`: HH/H/L/LL limits on every tag of each demo plant, placed around
 * what the demo simulator produces in normal operation over one day (trip windows left out):
 * H/L 3 % of span beyond the 0.5–99.5 % quantiles, HH/LL a further 5 %. The tripping machine of each
 * plant gets a unit-state rule on its power meter, and its own tags' low alarms are suppressed
 * while it is tripped or shut down. The outlet temperatures of the fouling exchanger drift (over the
 * day in the petrochemical plant, within each cycle in the steelworks): their limits are placed
 * around the exchanger while it has lost less than 2 % of its duty (the first two hours of the
 * petrochemical day), so the drift reaches them, and they get trend prediction, so an early warning
 * precedes their alarms.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { createSampleGenerator, dailyDemoScenario, DEMO_TARGETS } from '@reflux/plant-simulation';

/**
 * Trend prediction of the drifting temperatures. The petrochemical exchanger fouls over the day (an
 * hour's window). The steelworks condenser fouls within hours and is cleaned at once: its window is
 * 15 min, and a prediction must hold for 20 evaluations (longer than the window) before it warns, so
 * the cleaning's step back, which a window sees as a steep slope for less than its own length, is
 * not taken for a rise towards H.
 */
const PLANTS = {
  petrochemical: { unitPowerTag: 'JI-2004', trend: { windowS: 3600, horizonS: 14_400, everyS: 60, consecutive: 3, minPoints: 60 } },
  steelworks: { unitPowerTag: 'JI-9031', trend: { windowS: 900, horizonS: 14_400, everyS: 60, consecutive: 20, minPoints: 60 } },
} as const;
const DAY = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;

/** Fraction of its duty the exchanger has lost at `t` (the scenario's fouling incidents on it). */
const dutyLoss = (incidents: ReturnType<typeof dailyDemoScenario>['incidents'], exchanger: string, t: number) => {
  const s = (t - DAY) / 1000;
  let loss = 0;
  for (const i of incidents) {
    if (i.kind === 'fouling' && i.target === exchanger && s >= i.startS && s < i.startS + i.durationS) loss += Math.min(i.maxDutyLoss, (i.dutyLossPerHour * (s - i.startS)) / 3600);
  }
  return loss;
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
const round = (v: number, span: number) => Number(v.toPrecision(Math.max(3, Math.ceil(Math.log10(Math.abs(v) / (span * 1e-3) + 1)))));

for (const [name, { unitPowerTag, trend }] of Object.entries(PLANTS)) {
  const model = loadDemoPlant(name as keyof typeof PLANTS);
  const graph = new PlantGraph(model);
  const scenario = dailyDemoScenario(graph, DAY, 42);
  const generator = createSampleGenerator(graph, scenario);
  const machine = DEMO_TARGETS[model.plantId].trippingMachine;
  const exchanger = DEMO_TARGETS[model.plantId].foulingExchanger;
  // fouling moves an outlet's temperature towards the exchanger's inlet of the same medium (a condenser's condensate has none)
  const inletMedia = new Set(model.streams.filter((s) => s.to === exchanger).map((s) => s.medium));
  const exchangerOutlets = new Set(model.streams.filter((s) => s.from === exchanger && inletMedia.has(s.medium)).map((s) => s.id));
  const drifting = new Set(model.tags.filter((t) => t.kind === 'temperature' && t.streamId !== undefined && exchangerOutlets.has(t.streamId)).map((t) => t.id));
  const values = new Map<string, number[]>();
  for (let t = DAY; t < DAY + 24 * HOUR; t += 30_000) {
    if ((t - DAY) % (4 * HOUR) >= 3 * HOUR + 15 * 60_000) continue; // trip and recovery
    const fouled = dutyLoss(scenario.incidents, exchanger, t) >= 0.02 - 1e-9;
    for (const s of generator.samplesAt(t)) {
      if (drifting.has(s.tagId) && fouled) continue; // fouling: limits around the clean exchanger
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
      // a drifting temperature crosses its limit slowly through its noise: ISA-18.2's 60 s off-delay for temperatures keeps the alarm from chattering
      ...(drifting.has(tag.id) && { offDelayS: 60, trend }),
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
