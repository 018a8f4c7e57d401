import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { SeededRandom } from '@reflux/reconciliation';
import { createTestDatabase, freePort, type RunningProcess } from '@reflux/testing';
import { call, REPO_ROOT, serviceClient, startServiceProcess } from './support/service-processes';

const SECRET = 'safety-models-cli-secret-of-32-characters';
const PLANT = 'demo-petrochemical-site';
const UNIT = 'K-2001';
const CONFIG = join(REPO_ROOT, 'services/safety/config/demo-petrochemical.alarms.json');
const bin = join(REPO_ROOT, 'tools/cli/bin/reflux.js');
const dir = mkdtempSync(join(tmpdir(), 'reflux-safety-models-'));

// CLI starts transpile TypeScript; the services start as processes on a shared, loaded machine.
jest.setTimeout(600_000);

interface ModelView {
  id: string;
  version: number;
  active: boolean;
  tagIds: string[];
  components: number;
  origin: string;
  trainingRows: number;
  importName: string;
  samplePeriodS: number;
}

/** The compressor's tags in the shipped configuration, each moving with one latent load around the middle of its limits. */
function unitRows(tags: { tagId: string; limits: Record<string, { value: number }> }[], n: number): number[][] {
  const rng = new SeededRandom(7);
  return Array.from({ length: n }, () => {
    const load = rng.normal();
    return tags.map((t) => {
      const mid = (t.limits.H!.value + t.limits.L!.value) / 2;
      const span = t.limits.H!.value - t.limits.L!.value;
      return mid + span * (0.05 * load + 0.01 * rng.normal());
    });
  });
}

describe('reflux safety models, model-fit, model-import and model-activate against the safety service', () => {
  const running: RunningProcess[] = [];
  let drop: () => Promise<void> = async () => undefined;
  let safetyAddress = '';
  const token = createDevelopmentToken(SECRET, ['admin'], 'cli-e2e');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, 'safety', ...args, '--address', safetyAddress, '--plant', PLANT], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, REFLUX_TOKEN: token } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as { tags: { tagId: string; unitId?: string; limits: Record<string, { value: number }> }[] };
  const tags = config.tags.filter((t) => t.unitId === UNIT);
  const rows = unitRows(tags, 240);
  const from = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
  const to = from + rows.length * 10_000;

  beforeAll(async () => {
    const db = await createTestDatabase('safety_models_cli');
    drop = () => db.drop();
    const [ingestionPort, safetyPort] = [await freePort(), await freePort()];
    const auth = { AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true', EVENT_BUS: 'postgres', DATABASE_URL: db.url };
    running.push(await startServiceProcess('services/ingestion/src/main.ts', { ...auth, SERVICE_NAME: 'ingestion', GRPC_PORT: String(ingestionPort), PLANT_MODEL_FILES: demoPlantPath('petrochemical') }, 'ingestion service started'));
    running.push(await startServiceProcess('services/safety/src/main.ts', { ...auth, SERVICE_NAME: 'safety', GRPC_PORT: String(safetyPort), ALARM_CONFIG_FILES: CONFIG, INGESTION_ADDRESS: `127.0.0.1:${ingestionPort}` }, 'safety service started'));
    safetyAddress = `127.0.0.1:${safetyPort}`;
    const ingestion = serviceClient('reflux/ingestion/v1/ingestion.proto', 'reflux.ingestion.v1.IngestionService', `127.0.0.1:${ingestionPort}`);
    try {
      for (let start = 0; start < rows.length; start += 60) {
        const samples = rows.slice(start, start + 60).flatMap((row, i) => {
          const t = from + (start + i) * 10_000;
          return row.map((value, j) => ({ tagId: tags[j]!.tagId, value, quality: 0, time: { seconds: String(t / 1000), nanos: 0 } }));
        });
        await call(ingestion, 'write', { batch: { clientBatchId: `models-cli-${start}`, samples } }, token, 30_000);
      }
    } finally {
      ingestion.close();
    }
  });

  afterAll(async () => {
    for (const p of running.reverse()) await p.stop('SIGTERM', 20_000).catch(() => undefined);
    await drop();
  });

  it('lists no model before one is fitted', () => {
    const r = cli('models', '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ plantId: PLANT, models: [] });
  });

  it('fits the unit’s configured tags on its history in the service, activates the fit, and lists it', () => {
    const r = cli('model-fit', '--unit', UNIT, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--sample-period', '10', '--components', '2', '--activate', '--json');
    expect(r.stderr).toBe('');
    const fitted = JSON.parse(r.stdout) as ModelView;
    expect(fitted).toMatchObject({ id: `${UNIT}@1`, version: 1, active: true, components: 2, origin: 'history', samplePeriodS: 10 });
    expect(fitted.tagIds).toEqual(tags.map((t) => t.tagId));
    expect(fitted.trainingRows).toBeGreaterThan(200);
    const listed = JSON.parse(cli('models', '--unit', UNIT, '--json').stdout) as { models: ModelView[] };
    expect(listed.models.map((m) => [m.id, m.active])).toEqual([[`${UNIT}@1`, true]]);
  });

  it('imports a pca-fit document as the next version, inactive until model-activate makes it the active one', () => {
    const csv = join(dir, 'normal.csv');
    writeFileSync(csv, [tags.map((t) => t.tagId).join(','), ...rows.map((r) => r.map((x) => x.toFixed(4)).join(','))].join('\n') + '\n');
    const model = join(dir, 'k2001.json');
    const fit = spawnSync(process.execPath, [bin, 'safety', 'pca-fit', '--csv', csv, '--out', model, '--component-rule', 'fixed:2'], { encoding: 'utf8', timeout: 120_000 });
    expect(fit.status).toBe(0);
    const imported = cli('model-import', '--file', model, '--unit', UNIT, '--sample-period', '10', '--json');
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: `${UNIT}@2`, active: false, origin: 'import', importName: 'k2001.json' });

    const activated = cli('model-activate', `${UNIT}@2`);
    expect(activated.status).toBe(0);
    expect(activated.stdout).toContain(`${UNIT}@2 is the active model of ${UNIT}`);
    const listed = JSON.parse(cli('models', '--json').stdout) as { models: ModelView[] };
    expect(Object.fromEntries(listed.models.map((m) => [m.id, m.active]))).toEqual({ [`${UNIT}@1`]: false, [`${UNIT}@2`]: true });
  });

  it('refuses a malformed model id before calling, and reports the service’s field violations with exit status 1', () => {
    const badId = cli('model-activate', UNIT);
    expect(badId.status).toBe(1);
    expect(badId.stderr).toContain('expected UNIT@VERSION');
    const oneTag = cli('model-fit', '--unit', UNIT, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--tags', 'FI-2001');
    expect(oneTag.status).toBe(1);
    expect(oneTag.stderr).toContain('tag_ids: a multivariate model needs at least 2 tags');
  });
});
