// Builds the control-room page into web/dist with Vite's JS API (run by the gateway at start-up and by the browser test's setup).
import { build } from 'vite';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
await build({ root, base: '/', logLevel: 'warn', configFile: false, build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false } });
