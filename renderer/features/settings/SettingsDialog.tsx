import { useEffect, useState } from 'react';
import { useAppInfo, useController, useIsDesktop, useUi } from '../../app/context';
import { errorMessage } from '../../format/errors';
import type { Settings } from '../../contract';
import { Dialog } from '../../shared/Dialog';

const SOURCE_TEXT: Record<Settings['rootSource'], string> = {
  default: 'the default',
  cli: 'set by the --root option',
  env: 'set by the environment',
  setting: 'chosen in Settings',
};

/** Where the store lives, and (on the desktop) choosing another. */
export function SettingsDialog() {
  const open = useUi((s) => s.settingsOpen);
  return open ? <SettingsForm /> : null;
}

function SettingsForm() {
  const controller = useController();
  const settings = useAppInfo((s) => s.settings);
  const info = useAppInfo((s) => s.info);
  const desktop = useIsDesktop();
  const [busy, setBusy] = useState(false);
  const close = () => controller.stores.ui.getState().setSettings(false);

  useEffect(() => {
    void controller.loadSettings();
  }, [controller]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  const cleanUp = async () => {
    try {
      const report = await controller.api.call('snapshots.gc');
      const n = report.removedOrphanDirs.length + report.removedStalePending.length;
      controller.stores.ui.getState().toast('success', n === 0 ? 'Nothing to clean up.' : `Removed ${n} leftover${n === 1 ? '' : 's'} of interrupted operations.`);
    } catch (err) {
      controller.stores.ui.getState().toast('error', `Clean-up failed: ${errorMessage(err)}`);
    }
  };

  return (
    <Dialog title="Settings" onClose={close}>
      <dl className="fields">
        <div className="field">
          <dt>Store folder</dt>
          <dd>
            <span className="mono selectable wrap" data-testid="store-root">
              {settings?.root ?? 'unknown'}
            </span>
            {settings ? <span className="muted"> ({SOURCE_TEXT[settings.rootSource]})</span> : null}
          </dd>
        </div>
        {settings && settings.root !== settings.defaultRoot ? (
          <div className="field">
            <dt>Default</dt>
            <dd className="mono wrap">{settings.defaultRoot}</dd>
          </div>
        ) : null}
        {info ? (
          <div className="field">
            <dt>Version</dt>
            <dd>
              {info.version} ({info.transport === 'electron' ? 'desktop' : 'browser'}, {info.platform})
            </dd>
          </div>
        ) : null}
      </dl>
      <div className="dialog-actions">
        {desktop ? (
          <button type="button" disabled={busy} onClick={() => void run(() => controller.chooseRoot())}>
            Change…
          </button>
        ) : null}
        <button type="button" disabled={busy || settings?.rootSource === 'default'} onClick={() => void run(() => controller.resetRoot())}>
          Reset to default
        </button>
        <button type="button" disabled={busy} onClick={() => void run(cleanUp)}>
          Clean up leftovers
        </button>
        <button type="button" className="primary" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
