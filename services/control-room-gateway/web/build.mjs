// Builds the control-room page into web/dist (or the directory given as argument) with Vite's JS API
// (run by the gateway at start-up, by the browser test's setup and by `npm run build` for the image).
import { build } from 'vite';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
await build({ root, base: '/', logLevel: 'warn', configFile: false, build: { outDir: process.argv[2] ?? 'dist', emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false } });
