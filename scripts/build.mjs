// Builds every bundle: the CLI, the desktop shell's main and preload, the web
// shell's server (esbuild), and the renderer (vite). out/electron/<shell>/
// mirrors electron/<shell>/, so paths to the renderer read the same built or not.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { build as viteBuild } from 'vite';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Runtime dependencies (koffi is native) stay in node_modules.
  packages: 'external',
  logLevel: 'warning',
};

const entries = [
  { in: 'src-core/cli/snapdesk.ts', out: 'out/cli/snapdesk.cjs', banner: '#!/usr/bin/env node' },
  { in: 'electron/desktop/main.ts', out: 'out/electron/desktop/main.cjs' },
  { in: 'electron/web/main.ts', out: 'out/electron/web/main.cjs' },
];

await rm('out', { recursive: true, force: true });
for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({ ...node, entryPoints: [e.in], outfile: e.out, ...(e.banner ? { banner: { js: e.banner } } : {}) });
}
// A sandboxed preload cannot require anything but 'electron': bundle it whole.
if (existsSync('electron/desktop/preload.ts')) {
  await build({ ...node, packages: undefined, external: ['electron'], entryPoints: ['electron/desktop/preload.ts'], outfile: 'out/electron/desktop/preload.cjs' });
}
if (existsSync('renderer/index.html')) {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn', plugins: [await loadCspMetaPlugin()] });
}

/**
 * The plugin that writes src-core/rules' Content-Security-Policy into the
 * page's meta tag (renderer/csp-meta.ts), bundled on the fly: the policy is
 * TypeScript and this script is plain Node.
 */
async function loadCspMetaPlugin() {
  const out = await build({ entryPoints: ['renderer/csp-meta.ts'], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning' });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  return mod.cspMetaPlugin();
}
