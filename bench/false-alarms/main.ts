// False alarms of the default gross-error detector on clean windows (meter noise only, no gross
// error): the two demo plants through the balancing service's plant-model mapping, and seeded
// random plant-like networks of 40 and 200 streams. Per window: the share of windows with at least
// one suspect (meter bias or loss), and the share that would publish one when a suspect must be found
// in 2 of the last 3 windows (BALANCE_SUSPECT_PERSISTENCE=2/3). α = 0.05. The last line is one JSON object.
import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { cleanDemoWindows, cleanRandomWindows, falseAlarmRates } from '../../services/balancing/test/fixtures/clean-windows';

const windows = Number(process.env.BENCH_WINDOWS ?? 1000);
const alpha = 0.05;
const rule = { required: 2, windows: 3 };

async function main(): Promise<void> {
  const cases = [
    ['demoPetrochemical', cleanDemoWindows(new PlantGraph(loadDemoPlant('petrochemical')), 101)],
    ['demoSteelworks', cleanDemoWindows(new PlantGraph(loadDemoPlant('steelworks')), 202)],
    ['random40Streams', cleanRandomWindows(40, 303)],
    ['random200Streams', cleanRandomWindows(200, 404)],
  ] as const;
  const falseAlarmRatePerWindow: Record<string, number> = {};
  const falseAlarmRatePerWindowPersistent2of3: Record<string, number> = {};
  const globalTestRejectRate: Record<string, number> = {};
  for (const [name, generator] of cases) {
    const started = Date.now();
    const rates = await falseAlarmRates(generator, windows, alpha, rule);
    falseAlarmRatePerWindow[name] = rates.perWindow;
    falseAlarmRatePerWindowPersistent2of3[name] = rates.perWindowPersistent;
    globalTestRejectRate[name] = rates.globalTestRejects;
    console.log(`${name}: ${windows} clean windows, false alarms ${(100 * rates.perWindow).toFixed(1)} % per window, ${(100 * rates.perWindowPersistent).toFixed(1)} % with 2 of 3 (${Date.now() - started} ms)`);
  }
  console.log(JSON.stringify({ alpha, windowsPerCase: windows, falseAlarmRatePerWindow, falseAlarmRatePerWindowPersistent2of3, globalTestRejectRate }));
}

void main();
