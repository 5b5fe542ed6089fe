import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

describe('packaging', () => {
  it('electron-builder.yml passes electron-builder’s own schema and names the app, its archives and its native module', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    await validateConfiguration(config, { add: () => undefined } as unknown as Parameters<typeof validateConfiguration>[1]);
    expect(config.appId).toBe('io.snapshotdesk.app');
    expect(config.productName).toBe('Snapshot Desk');
    expect(config.asarUnpack).toContain('node_modules/koffi/**');
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'tgz' })]);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Utility');
  });

  it('the deb package recommends libdeflate0 and libisal2 (export compresses with them when present) beside electron-builder’s default', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    expect(config.deb?.recommends).toEqual(['libappindicator3-1', 'libdeflate0', 'libisal2']);
  });

  it('electron-builder.yml flips the fuses that keep the packaged app from running other code', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Only-from-asar needs the asar it trusts.
    expect(config.asar).toBe(true);
  });

  it('package.json points Electron at the desktop shell’s bundle, which the build writes', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    const build = await readFile(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    expect(pkg.main).toBe('out/electron/desktop/main.cjs');
    expect(build).toContain(`out: '${pkg.main}'`);
    expect(build).toContain("'electron/desktop/main.ts'");
    expect(pkg.scripts.web).toContain('out/electron/web/main.cjs');
    expect(build).toContain("out: 'out/electron/web/main.cjs'");
  });

  it('the icon is a real 512×512 RGBA PNG', async () => {
    const png = await readFile(join(ROOT, 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([512, 512, 8, 6]);
    expect(png.length).toBeGreaterThan(5000);
  });
});
