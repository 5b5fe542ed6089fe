import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// This file runs in Node at build time, not in the window.
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Relative base: the desktop app loads the page from file:// (or a custom protocol), the browser transport from /.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // The CSP forbids inline scripts: no module-preload polyfill injected into the page.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
  },
});
