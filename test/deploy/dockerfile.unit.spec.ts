import { builtinModules } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SERVICES, isPinned, read, readYaml } from './deploy-fixtures';

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

describe('Dockerfile', () => {
  it('builds from a pinned node 20 bookworm-slim image in every stage', () => {
    for (const stage of stages) {
      const image = stage.args.split(/\s+/)[0].replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name]);
      expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
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

  it('ships the loader and everything it requires: SWC from the full install, the rest from production dependencies', () => {
    const loader = read('scripts/register.cjs');
    const required = [...loader.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]);
    const packages = required.filter((r) => !r.startsWith('node:') && !builtinModules.includes(r));
    expect(packages).toEqual(['@swc/core']);
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['@swc/core']).toBeDefined();
    expect(runtime.some((i) => i.op === 'COPY' && /--from=\S+ \/app\/node_modules\/@swc \.\/node_modules\/@swc/.test(i.args))).toBe(true);
    expect(dockerfile.some((i) => i.op === 'RUN' && i.args.includes('npm ci --omit=dev'))).toBe(true);
    expect(runtime.some((i) => i.op === 'COPY' && i.args.startsWith('scripts/register.cjs'))).toBe(true);
    expect(runtime.some((i) => i.op === 'COPY' && i.args.includes('tsconfig.base.json'))).toBe(true);
  });

  it('runs as the non-root node user with the loader as entry point', () => {
    const user = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user).toEqual(['node']);
    const entrypoint = JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    expect(entrypoint).toEqual(['node', '--enable-source-maps', '-r', './scripts/register.cjs']);
    expect(runtime.findIndex((i) => i.op === 'USER')).toBeLessThan(runtime.findIndex((i) => i.op === 'ENTRYPOINT'));
  });

  it('exposes the planned gRPC ports of the services', () => {
    const exposed = runtime.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map(Number));
    for (const port of Object.values(SERVICES)) expect(exposed).toContain(port);
  });
});

describe('entry points referenced by compose and Kubernetes', () => {
  const compose = readYaml<{ services: Record<string, { command?: string[] }> }>('docker-compose.yml');
  const referenced = new Set(Object.values(compose.services).flatMap((s) => s.command ?? []).filter((c) => c.endsWith('.ts')));

  it('are the main.ts and migrate.ts of each planned service', () => {
    expect([...referenced].sort()).toEqual(Object.keys(SERVICES).flatMap((s) => [`services/${s}/src/main.ts`, `services/${s}/src/migrate.ts`]).sort());
  });

  it.each([...referenced])('%s exists', (path) => {
    expect(existsSync(join(ROOT, path))).toBe(true);
  });
});
