import type { SnapdeskApi } from '../../contract';
import type { Stores } from '../../app/stores';
import type { RunAction } from '../../shared/run-action';
import type { SnapshotActions } from '../snapshots/actions';

export interface SettingsDeps {
  api: SnapdeskApi;
  run: RunAction;
  stores: Pick<Stores, 'settings' | 'ui'>;
  snapshots: Pick<SnapshotActions, 'refresh'>;
}

export type SettingsActions = ReturnType<typeof createSettingsActions>;

/** Where the store is (and choosing another), what the host is, and cleaning up after interrupted operations. */
export function createSettingsActions({ api, run, stores, snapshots }: SettingsDeps) {
  async function load(): Promise<void> {
    try {
      stores.settings.getState().setSettings(await api.call('settings.get'));
    } catch {
      // Shown as "unknown" in the settings dialog; the table reports store errors itself.
    }
  }

  return {
    load,
    async chooseRoot(): Promise<void> {
      await run('Could not change the store folder', async () => {
        const settings = await api.call('settings.chooseRoot');
        if (!settings) return;
        stores.settings.getState().setSettings(settings);
        await snapshots.refresh();
      });
    },
    async resetRoot(): Promise<void> {
      await run('Could not reset the store folder', async () => {
        stores.settings.getState().setSettings(await api.call('settings.resetRoot'));
        await snapshots.refresh();
      });
    },
    /** Removes what interrupted operations left in the store. */
    async cleanUp(): Promise<void> {
      await run('Clean-up failed', async () => {
        const report = await api.call('snapshots.gc');
        const n = report.removedOrphanDirs.length + report.removedStalePending.length;
        stores.ui.getState().toast('success', n === 0 ? 'Nothing to clean up.' : `Removed ${n} leftover${n === 1 ? '' : 's'} of interrupted operations.`);
      });
    },
    start(): () => void {
      api.call('app.info').then((info) => stores.settings.getState().setInfo(info), () => undefined);
      void load();
      return () => undefined;
    },
  };
}
