import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { cleanDemoWindows, cleanRandomWindows, falseAlarmRates } from '../../test/fixtures/clean-windows';

const ALPHA = 0.05;
const WINDOWS = 300;

describe('false alarms of the default detector on clean windows (α = 0.05)', () => {
  it.each([
    ['the petrochemical demo plant', () => cleanDemoWindows(new PlantGraph(loadDemoPlant('petrochemical')), 11)],
    ['the steelworks demo plant', () => cleanDemoWindows(new PlantGraph(loadDemoPlant('steelworks')), 12)],
    ['a random 200-stream plant-like network', () => cleanRandomWindows(200, 13)],
  ])('names a suspect in at most α of the windows of %s', async (_name, windows) => {
    const rates = await falseAlarmRates(windows(), WINDOWS, ALPHA, { required: 2, windows: 3 });
    expect(rates.perWindow).toBeLessThanOrEqual(ALPHA);
    // persistence (2 of the last 3 windows) publishes fewer still
    expect(rates.perWindowPersistent).toBeLessThanOrEqual(rates.perWindow);
    expect(rates.perWindowPersistent).toBeLessThanOrEqual(0.01);
  }, 120_000);
});
