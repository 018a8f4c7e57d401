import { builtinModules } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATED_SERVICES, ROOT, SERVICES, isPinned, read, readYaml } from './deploy-fixtures';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(read('Dockerfile'));
const stages = dockerfile.filter((i) => i.op === 'FROM');
const runtimeStart = dockerfile.indexOf(stages[stages.length - 1]);
const runtime = dockerfile.slice(runtimeStart);
const args = Object.fromEntries(dockerfile.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]));
const dockerignore = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

// COPY sources taken from the build context (not from another stage), as [sources…, destination].
const contextCopies = dockerfile.filter((i) => i.op === 'COPY' && !i.args.includes('--from=')).map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')));
const runtimeCopies = runtime.filter((i) => i.op === 'COPY' && !i.args.includes('--from=')).map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')));
const stageOf = (name: string): Instruction[] => dockerfile.slice(dockerfile.findIndex((i) => i.op === 'FROM' && i.args.endsWith(` AS ${name}`)));
/** RUN instructions of a stage, up to the next FROM. */
function runsOf(name: string): Instruction[] {
  const stage = stageOf(name);
  const next = stage.slice(1).findIndex((i) => i.op === 'FROM');
  return (next < 0 ? stage : stage.slice(0, next + 1)).filter((i) => i.op === 'RUN');
}

describe('Dockerfile', () => {
  it('builds from a pinned node 24 (LTS) bookworm-slim image in every stage', () => {
    for (const stage of stages) {
      const image = stage.args.split(/\s+/)[0].replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name]);
      expect(image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
      expect(isPinned(image)).toBe(true);
    }
  });

  it('copies only files that exist in the repository and are not excluded by .dockerignore', () => {
    const sources = contextCopies.flatMap((parts) => parts.slice(0, -1)).filter((s) => s !== '.');
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
      const excluded = dockerignore.some((pattern) => pattern === source || pattern === source.split('/')[0]);
      expect([source, excluded]).toEqual([source, false]);
    }
  });

  it('ships no dev or test dependency: node_modules only from `npm ci --omit=dev`, code only from the build', () => {
    const copiesFrom = (stage: string) => runtime.filter((i) => i.op === 'COPY' && i.args.includes(`--from=${stage} `)).map((i) => i.args);
    // Everything in the runtime stage comes from these two stages; nothing from the build context.
    expect(runtimeCopies).toEqual([]);
    expect(copiesFrom('prod-deps')).toEqual(['--from=prod-deps /app/node_modules ./node_modules']);
    expect(runsOf('prod-deps').map((r) => r.args).join()).toMatch(/npm ci --omit=dev/);
    expect(copiesFrom('build')).toEqual(['--from=build /src/dist ./']);
    expect(runtime.filter((i) => i.op === 'COPY').length).toBe(2);
    expect(runtime.filter((i) => i.op === 'RUN').map((r) => r.args).join()).not.toMatch(/npm (ci|install)/);
  });

  it('builds with `npm run build` and runs the compiled tree through the compiler-free loader', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    expect(runsOf('build')).toContainEqual({ op: 'RUN', args: 'npm run build' });
    const loader = read('scripts/runtime.cjs');
    const required = [...loader.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]);
    expect(required.filter((r) => !r.startsWith('node:') && !builtinModules.includes(r))).toEqual([]);
    // The tree build.mjs writes holds the loader and the health check the manifests use.
    const build = read('scripts/build.mjs');
    for (const file of ['scripts/runtime.cjs', 'deploy/grpc-health-check.cjs']) expect(build).toContain(`'${file.split('/')[0]}', '${file.split('/')[1]}'`);
  });

  it('runs as the non-root node user with the loader as entry point', () => {
    const user = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user).toEqual(['node']);
    const entrypoint = JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    expect(entrypoint).toEqual(['node', '--enable-source-maps', '-r', './scripts/runtime.cjs']);
    expect(runtime.findIndex((i) => i.op === 'USER')).toBeLessThan(runtime.findIndex((i) => i.op === 'ENTRYPOINT'));
  });

  it('exposes the planned gRPC ports of the services and the gateway\'s HTTP port', () => {
    const exposed = runtime.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map(Number));
    for (const port of Object.values(SERVICES)) expect(exposed).toContain(port);
  });
});

describe('entry points referenced by compose and Kubernetes', () => {
  const compose = readYaml<{ services: Record<string, { command?: string[] }> }>('docker-compose.yml');
  const referenced = new Set(Object.values(compose.services).flatMap((s) => s.command ?? []).filter((c) => c.endsWith('.ts')));

  it('are the main.ts of each planned service and the migrate.ts of each that has a migration', () => {
    expect([...referenced].sort()).toEqual([...Object.keys(SERVICES).map((s) => `services/${s}/src/main.ts`), ...MIGRATED_SERVICES.map((s) => `services/${s}/src/migrate.ts`)].sort());
  });

  it.each([...referenced])('%s exists', (path) => {
    expect(existsSync(join(ROOT, path))).toBe(true);
  });
});
