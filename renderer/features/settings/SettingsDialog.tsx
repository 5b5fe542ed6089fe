import { useEffect, useState } from 'react';
import { useSettings, useApp, useIsDesktop, useUi } from '../../app/context';
import type { Settings } from '../../contract';
import { TrashSettings } from '../trash/TrashSettings';
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
  const app = useApp();
  const settings = useSettings((s) => s.settings);
  const info = useSettings((s) => s.info);
  const desktop = useIsDesktop();
  const [busy, setBusy] = useState(false);
  const close = () => app.stores.ui.getState().setSettings(false);

  useEffect(() => {
    void app.settings.load();
  }, [app]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
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
      <TrashSettings />
      <div className="dialog-actions">
        {desktop ? (
          <button type="button" disabled={busy} onClick={() => void run(() => app.settings.chooseRoot())}>
            Change…
          </button>
        ) : null}
        <button type="button" disabled={busy || settings?.rootSource === 'default'} onClick={() => void run(() => app.settings.resetRoot())}>
          Reset to default
        </button>
        <button type="button" disabled={busy} onClick={() => void run(() => app.settings.cleanUp())}>
          Clean up leftovers
        </button>
        <button type="button" className="primary" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
