// Runs the TypeScript sources directly: `node -r ./scripts/register.cjs file.ts`.
// Transpiles each .ts file with SWC (decorators with metadata, as NestJS needs; no type-check,
// which `npm run typecheck` does) and resolves the `@reflux/*` aliases of tsconfig.base.json.
// Used by `npm start`, the `reflux` CLI and the benchmarks; the container image runs the same sources
// compiled ahead of time by the same options (`npm run build`, scripts/build.mjs, and scripts/runtime.cjs).
'use strict';
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, path.join(root, v)]));

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, parent, isMain, options) {
  const target = aliases.get(request);
  return originalResolve.call(this, target ?? request, parent, isMain, options);
};

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

Module._extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
