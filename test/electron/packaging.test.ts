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

  it('the icon is a real 512×512 RGBA PNG', async () => {
    const png = await readFile(join(ROOT, 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([512, 512, 8, 6]);
    expect(png.length).toBeGreaterThan(5000);
  });
});
