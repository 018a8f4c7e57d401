import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MIGRATED_SERVICES, ROOT, SERVICES } from './deploy-fixtures';

const run = promisify(execFile);

describe('npm run build (scripts/build.mjs): the runtime tree of the image', () => {
  let parent: string;
  let out: string;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'reflux-build-'));
    out = join(parent, 'dist');
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/build.mjs'), out], { cwd: ROOT });
    expect(stdout).toMatch(/TypeScript files compiled/);
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  }, 120_000);

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('compiles every service entry point beside its source and leaves the tests out', () => {
    for (const name of Object.keys(SERVICES)) expect([name, existsSync(join(out, 'services', name, 'src', 'main.js'))]).toEqual([name, true]);
    for (const name of MIGRATED_SERVICES) expect([name, existsSync(join(out, 'services', name, 'src', 'migrate.js'))]).toEqual([name, true]);
    expect(existsSync(join(out, 'services/ingestion/test'))).toBe(false);
    expect(existsSync(join(out, 'libs/config/src/load-config.unit.spec.ts'))).toBe(false);
    for (const file of ['scripts/runtime.cjs', 'deploy/grpc-health-check.cjs', 'proto', 'libs/plant-model/plants/demo-petrochemical-site.yaml']) expect([file, existsSync(join(out, file))]).toEqual([file, true]);
  });

  it('ships the control-room page built, without its sources, so the gateway serves it instead of rebuilding it', () => {
    const web = join(out, 'services/control-room-gateway/web');
    expect(existsSync(join(web, 'dist/index.html'))).toBe(true);
    expect(readdirSync(join(web, 'dist/assets')).some((f) => f.endsWith('.js'))).toBe(true);
    for (const source of ['build.mjs', 'index.html', 'src']) expect([source, existsSync(join(web, source))]).toEqual([source, false]);
  });

  it('loads the compiled code through scripts/runtime.cjs, which needs no compiler', async () => {
    const script = "require('./services/ingestion/src/ingestion.config.ts'); const g = require('@reflux/grpc'); console.log(require.resolve('@reflux/config'), typeof g.createServiceToken)";
    const { stdout } = await run(process.execPath, ['-r', './scripts/runtime.cjs', '-e', script], { cwd: out });
    expect(stdout.trim()).toBe(`${join(out, 'libs/config/src/index.js')} function`);
  });

  it('refuses a TypeScript file that was not compiled instead of running it', async () => {
    writeFileSync(join(out, 'services/stray.ts'), 'export const x: number = 1;\n');
    await expect(run(process.execPath, ['-r', './scripts/runtime.cjs', 'services/stray.ts'], { cwd: out })).rejects.toThrow(/stray\.ts has no compiled stray\.js: run `npm run build`/);
  });
});
