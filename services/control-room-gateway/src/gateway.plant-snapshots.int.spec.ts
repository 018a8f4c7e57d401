import { checkPlantModel } from '@reflux/plant-model';
import { createTestDatabase } from '@reflux/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { readPlantViews } from './adapters/plant-model/plant-model.snapshot-source';
import type { GatewayApp } from './gateway.app';
import { loadGatewayConfig } from './gateway.config';
import { httpJson, startTestGateway, token, writerStore } from '../test/gateway-test.support';
import { KNOWN_HORIZON_START, knownPlantModel, startKnownUpstreams, type KnownUpstreams } from '../test/known-upstreams.support';

const PLANT = 'zone-plant';
const viewer = () => ({ authorization: `Bearer ${token(['viewer'])}` });

describe('plant-model and alarm-limit snapshots: time zone, topology, limit lines', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let upstreams: KnownUpstreams;
  let gw: GatewayApp;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-plants-'));
  const modelFile = join(dir, 'zone-plant.json');

  beforeAll(async () => {
    expect(checkPlantModel(knownPlantModel(PLANT, 'Europe/Amsterdam')).ok).toBe(true);
    writeFileSync(modelFile, JSON.stringify(knownPlantModel(PLANT, 'Europe/Amsterdam')));
    db = await createTestDatabase('gateway_plants');
    const pool = new Pool({ connectionString: db.url, max: 1 });
    await (await writerStore(pool)).close();
    await pool.end();
    upstreams = await startKnownUpstreams({ plantId: PLANT, balanceWindowStartMs: KNOWN_HORIZON_START, timeZone: 'Europe/Amsterdam' });
    // No GATEWAY_DEFAULT_PLANT: the only plant of the model files is the default of the views.
    gw = await startTestGateway(db.url, { upstreams: { safety: upstreams.safety, scheduling: upstreams.scheduling }, plants: readPlantViews([modelFile]) });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstreams?.stop();
    await db?.drop();
  });

  it('gives the plant’s time zone, units and material and energy streams from the plant-model files', async () => {
    const res = await httpJson(`${gw.url}/v1/snapshot/plants`, { headers: viewer() });
    expect(res.status).toBe(200);
    expect(res.body['defaultPlantId']).toBe(PLANT);
    const [plant] = res.body['plants'] as Record<string, unknown>[];
    expect(plant).toMatchObject({ plantId: PLANT, timeZone: 'Europe/Amsterdam' });
    expect(plant!['units']).toContainEqual({ unitId: 'HDT-1', name: 'Hydrotreater', type: 'reactor', areaId: 'area-1', areaName: 'Area 1' });
    expect(plant!['streams']).toContainEqual({ streamId: 'E2', name: 'Charge pump motor', kind: 'energy', medium: 'electricity', from: 'EB-1', to: 'CDU-1' });
  });

  it('makes the single plant of the model files the default plant of the schedule and limits snapshots', async () => {
    expect((await httpJson(`${gw.url}/v1/snapshot/schedule`, { headers: viewer() })).body).toMatchObject({ plantId: PLANT });
    const limits = await httpJson(`${gw.url}/v1/snapshot/limits`, { headers: viewer() });
    expect(limits.status).toBe(200);
    expect(limits.body).toMatchObject({ plantId: PLANT, timeZone: 'Europe/Amsterdam', tags: [{ tagId: 'TI-101', unit: 'degC', limits: { HH: 95, H: 90, L: 60, LL: 50 } }] });
  });

  it('refuses to start with a plant-model file that does not parse, naming the file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...knownPlantModel(PLANT, 'Mars/Olympus'), streams: [] }));
    expect(() => readPlantViews([bad])).toThrow(/bad\.json is not a valid plant model: .*timeZone/);
    expect(() => loadGatewayConfig({ DATABASE_URL: db.url, PLANT_MODEL_FILES: 'relative/plant.yaml' })).toThrow(/PLANT_MODEL_FILES/);
  });

  it('answers 503 for the plants snapshot without model files and for limits without safety', async () => {
    const other = await startTestGateway(db.url, { logger: pino({ enabled: false }) });
    try {
      for (const kind of ['plants', 'limits']) expect((await httpJson(`${other.url}/v1/snapshot/${kind}`, { headers: viewer() })).status).toBe(503);
    } finally {
      await other.stop();
    }
  });
});
