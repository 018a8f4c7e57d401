// `npm run build`: the runtime tree of the container image in dist/, compiled ahead of time.
// Copies what the services load at run time (workspace manifests, libs/ and services/ with their
// assets: protos, plant models, alarm configurations), compiles every .ts file to a .js file beside
// it with SWC (the options of scripts/register.cjs: decorators with metadata, CommonJS, source maps
// inline), and adds scripts/runtime.cjs, which resolves the `@reflux/*` aliases and a requested
// `.ts` file to its compiled `.js`. So the image runs `node -r ./scripts/runtime.cjs
// services/<name>/src/main.ts` without a compiler; tests, benchmarks and tools stay out.
// Type checking is `npm run typecheck`, not this.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist');

/**
 * Test and benchmark files never belong to the runtime tree, nor the control-room page's sources
 * (`services/<name>/web/`): the page is built below into its `web/dist`, and without its sources
 * the gateway serves that build instead of rebuilding it (no Vite in the image, read-only root).
 */
const excluded = (path) => /(^|\/)(node_modules|test|__fixtures__)(\/|$)/.test(path) || /\.spec\.ts$/.test(path) || /^services\/[^/]+\/web(\/|$)/.test(path);

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (excluded(relative(root, path))) continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ['package.json', 'package-lock.json', 'tsconfig.base.json']) cpSync(join(root, file), join(out, file));
cpSync(join(root, 'proto'), join(out, 'proto'), { recursive: true });
mkdirSync(join(out, 'deploy'));
cpSync(join(root, 'deploy', 'grpc-health-check.cjs'), join(out, 'deploy', 'grpc-health-check.cjs'));
mkdirSync(join(out, 'scripts'));
cpSync(join(root, 'scripts', 'runtime.cjs'), join(out, 'scripts', 'runtime.cjs'));
let compiled = 0;
let copied = 0;
for (const group of ['libs', 'services']) {
  for (const path of files(join(root, group))) {
    const target = join(out, relative(root, path));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(path, target);
    copied += 1;
    if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      const { code } = swc.transformSync(readFileSync(path, 'utf8'), { ...swcOptions, filename: path, sourceFileName: relative(dirname(target), target) });
      writeFileSync(target.replace(/\.ts$/, '.js'), code);
      compiled += 1;
    }
  }
}
let pages = 0;
for (const service of readdirSync(join(root, 'services'))) {
  const web = join(root, 'services', service, 'web');
  if (!existsSync(join(web, 'build.mjs'))) continue;
  execFileSync(process.execPath, [join(web, 'build.mjs'), join(out, 'services', service, 'web', 'dist')], { cwd: web, stdio: 'inherit' });
  pages += 1;
}
console.log(`build: ${compiled} TypeScript files compiled, ${copied} files copied, ${pages} web page(s) built into ${relative(root, out) || '.'}`);
