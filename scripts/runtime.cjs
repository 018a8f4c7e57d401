// Runs the compiled tree of `npm run build` (dist/, the container image): `node -r
// ./scripts/runtime.cjs services/<name>/src/main.ts`. Resolves the `@reflux/*` aliases of
// tsconfig.base.json, and a `.ts` file to the `.js` compiled beside it, so commands name the same
// entry points as under `npm start` (scripts/register.cjs) without a compiler at run time. A `.ts`
// file without its compiled `.js` is an error, never run as source.
'use strict';
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, path.join(root, v)]));

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveCompiled(request, parent, isMain, options) {
  const resolved = originalResolve.call(this, aliases.get(request) ?? request, parent, isMain, options);
  if (!resolved.endsWith('.ts')) return resolved;
  const compiled = `${resolved.slice(0, -3)}.js`;
  if (!fs.existsSync(compiled)) throw new Error(`${resolved} has no compiled ${path.basename(compiled)}: run \`npm run build\``);
  return compiled;
};
process.setSourceMapsEnabled?.(true);
