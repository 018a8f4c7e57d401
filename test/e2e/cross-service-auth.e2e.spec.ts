/**
 * Issue 12: ingestion and balancing (and the CLI) with the AUTH_JWT_* settings compose and the k8s
 * ConfigMap ship — an HMAC secret with issuer and audience, not the development secret — accept
 * each other's tokens: a CLI write and read, and balancing's history read from ingestion, succeed.
 * When the settings disagree (another issuer), balancing and safety refuse to start naming the
 * variables, instead of failing at the first history read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceToken } from '@reflux/grpc';
import { demoPlantPath, loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { createSampleGenerator, dailyDemoScenario, dayStartMs } from '@reflux/plant-simulation';
import { createTestDatabase, freePort, type RunningProcess } from '@reflux/testing';
import { parse, parseAllDocuments } from 'yaml';
import { call, REPO_ROOT, runToExit, serviceClient, startServiceProcess } from './support/service-processes';

jest.setTimeout(600_000);

type Auth = { AUTH_JWT_ISSUER: string; AUTH_JWT_AUDIENCE: string };

/** The issuer and audience of docker-compose.yml's shared service environment. */
function composeAuth(): Auth {
  const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
  const env = compose.services['balancing']!.environment!;
  return { AUTH_JWT_ISSUER: env['AUTH_JWT_ISSUER']!, AUTH_JWT_AUDIENCE: env['AUTH_JWT_AUDIENCE']! };
}

/** The issuer and audience of the ConfigMap the k8s demo overlay renders (kubectl kustomize, as `kubectl apply -k` would). */
function k8sAuth(): Auth {
  const rendered = execFileSync('kubectl', ['kustomize', join(REPO_ROOT, 'k8s', 'overlays', 'demo')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  for (const doc of parseAllDocuments(rendered).map((d) => d.toJS() as { kind?: string; data?: Record<string, string> } | null)) {
    const data = doc?.kind === 'ConfigMap' ? doc.data : undefined;
    if (data?.['AUTH_JWT_ISSUER'] && data['AUTH_JWT_AUDIENCE']) return { AUTH_JWT_ISSUER: data['AUTH_JWT_ISSUER'], AUTH_JWT_AUDIENCE: data['AUTH_JWT_AUDIENCE'] };
  }
  throw new Error('no ConfigMap rendered from k8s/overlays/demo sets AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE');
}

/** `reflux …` (tools/cli) as a user runs it, with the given environment. */
function cli(env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/bin/reflux.js'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, REFLUX_TOKEN: undefined, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The simulator's samples of the petrochemical demo plant for [fromMs, toMs), as `reflux write` reads them. */
function demoCsv(fromMs: number, toMs: number): string {
  const graph = new PlantGraph(loadDemoPlant('petrochemical'));
  const generator = createSampleGenerator(graph, dailyDemoScenario(graph, dayStartMs(fromMs), 7));
  const rows = ['tag,time,value'];
  for (const tag of graph.model.tags) {
    for (let t = fromMs; t < toMs; t += tag.samplingPeriodS * 1000) {
      const s = generator.sample(tag.id, t);
      if (s.quality !== 'bad') rows.push(`${tag.id},${new Date(t).toISOString()},${s.value}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });

describe.each([
  ['docker-compose.yml', composeAuth],
  ['the k8s ConfigMap', k8sAuth],
])('ingestion and balancing with the AUTH_JWT_* settings of %s', (_source, settings) => {
  const auth = () => ({ ...settings(), AUTH_JWT_SECRET: randomBytes(36).toString('base64') });
  const running: RunningProcess[] = [];
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('cross_service_auth');
    dir = mkdtempSync(join(tmpdir(), 'reflux-auth-e2e-'));
  });
  afterEach(async () => {
    for (const p of running.splice(0).reverse()) await p.stop('SIGTERM');
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startIngestion(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    running.push(await startServiceProcess('services/ingestion/src/main.ts', { ...env, SERVICE_NAME: 'ingestion', DATABASE_URL: db.url, GRPC_PORT: String(port), PLANT_MODEL_FILES: demoPlantPath('petrochemical') }, 'ingestion service started'));
    return `127.0.0.1:${port}`;
  }
  const balancingEnv = async (env: Record<string, string>, ingestion: string) => ({
    ...env,
    SERVICE_NAME: 'balancing',
    DATABASE_URL: db.url,
    GRPC_PORT: String(await freePort()),
    PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
    INGESTION_ADDRESS: ingestion,
    BALANCE_SCHEDULE_INTERVAL_S: '0',
    BALANCE_TRIGGER_ON_INGEST: 'false',
  });

  it('a CLI write and read, and a reconciliation that reads the history across the services, succeed', async () => {
    const env = auth();
    const ingestion = await startIngestion(env);
    const bEnv = await balancingEnv(env, ingestion);
    running.push(await startServiceProcess('services/balancing/src/main.ts', bEnv, 'balancing service started'));

    // the CLI mints its token from the same AUTH_JWT_* variables
    const fromMs = Math.floor((Date.now() - 15 * 60_000) / 60_000) * 60_000;
    const toMs = fromMs + 2 * 60_000;
    writeFileSync(join(dir, 'samples.csv'), demoCsv(fromMs, toMs));
    const written = cli(env, 'write', '--csv', join(dir, 'samples.csv'), '--address', ingestion, '--json', '--quiet');
    expect(written).toMatchObject({ status: 0 });
    const latest = cli(env, 'history', 'latest', '--tags', 'FI-1043', '--address', ingestion, '--json');
    expect(latest.status).toBe(0);
    expect(latest.stdout).toContain('FI-1043');

    const balancing = serviceClient('reflux/balancing/v1/balancing.proto', 'reflux.balancing.v1.BalancingService', `127.0.0.1:${bEnv.GRPC_PORT}`);
    try {
      const token = createServiceToken({ hs256Secrets: [env.AUTH_JWT_SECRET], issuer: env.AUTH_JWT_ISSUER, audience: env.AUTH_JWT_AUDIENCE }, 'e2e', ['operator', 'viewer']);
      const response = await call<{ result: { source: string; streams: { measured: boolean; measuredMassFlowKgPerS?: number }[] } }>(
        balancing,
        'Reconcile',
        { plantId: loadDemoPlant('petrochemical').plantId, window: { startTime: ts(fromMs), endTime: ts(toMs) } },
        token,
        60_000,
      );
      expect(response.result.source).toBe('MEASUREMENT_SOURCE_HISTORY');
      const measured = response.result.streams.filter((s) => s.measured && s.measuredMassFlowKgPerS !== undefined && s.measuredMassFlowKgPerS !== null);
      expect(measured.length).toBeGreaterThan(5);
    } finally {
      balancing.close();
    }
  });

  it('balancing and safety refuse to start, naming the settings, when their issuer differs from ingestion’s', async () => {
    const env = auth();
    const ingestion = await startIngestion(env);
    const mismatched = { ...env, AUTH_JWT_ISSUER: `${env.AUTH_JWT_ISSUER}-elsewhere` };
    const balancing = await runToExit('services/balancing/src/main.ts', await balancingEnv(mismatched, ingestion));
    expect(balancing.code).not.toBe(0);
    expect(balancing.output).toMatch(/refuses balancing's token \(UNAUTHENTICATED: .*jwt issuer invalid.*AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE/);
    expect(balancing.output).not.toContain('balancing service started');

    const safety = await runToExit('services/safety/src/main.ts', {
      ...mismatched,
      SERVICE_NAME: 'safety',
      DATABASE_URL: db.url,
      GRPC_PORT: String(await freePort()),
      ALARM_CONFIG_FILES: join(REPO_ROOT, 'services/safety/config/demo-petrochemical.alarms.json'),
      INGESTION_ADDRESS: ingestion,
    });
    expect(safety.code).not.toBe(0);
    expect(safety.output).toMatch(/refuses safety's token \(UNAUTHENTICATED: .*jwt issuer invalid.*AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE/);
    expect(safety.output).not.toContain('safety service started');
  });
});
