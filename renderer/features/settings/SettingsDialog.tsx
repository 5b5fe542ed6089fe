import { useEffect, useRef, useState } from 'react';
import type { ThemeChoice } from '../../shared/ui-store';
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

  const closeRef = useRef<HTMLButtonElement>(null);
  const theme = useUi((s) => s.theme);
  // Buttons are disabled while an action runs, which drops their focus: give it back once they are enabled
  // (or to Close, when the action disabled its own button, as "Reset to default" does).
  const refocus = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    const from = refocus.current;
    if (busy || !from) return;
    refocus.current = null;
    (from.isConnected && !from.disabled ? from : closeRef.current)?.focus();
  }, [busy]);
  const run = async (fn: () => Promise<void>, from: HTMLButtonElement) => {
    refocus.current = from;
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Settings"
      onClose={close}
      className="settings"
      footer={
        <button ref={closeRef} type="button" className="primary" onClick={close}>
          Close
        </button>
      }
    >
      <div className="form-row">
        <label htmlFor="settings-theme">Theme</label>
        <select
          id="settings-theme"
          data-autofocus
          value={theme}
          onChange={(e) => app.stores.ui.getState().setTheme(e.target.value as ThemeChoice)}
        >
          <option value="system">System (follow the OS)</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </div>
      <dl className="fields settings-fields">
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
      <div className="actions">
        {desktop ? (
          <button type="button" disabled={busy} onClick={(e) => void run(() => app.settings.chooseRoot(), e.currentTarget)}>
            Change folder…
          </button>
        ) : null}
        {/* Only a folder chosen here can be reset: one from --root or the environment wins over the default until the app starts without it. */}
        <button
          type="button"
          disabled={busy || settings?.rootSource !== 'setting'}
          title={settings?.rootSource === 'cli' || settings?.rootSource === 'env' ? `The folder is ${SOURCE_TEXT[settings.rootSource]}; start the app without it to use the default.` : undefined}
          onClick={(e) => void run(() => app.settings.resetRoot(), e.currentTarget)}
        >
          Reset folder to default
        </button>
        <button type="button" disabled={busy} onClick={(e) => void run(() => app.settings.cleanUp(), e.currentTarget)}>
          Clean up leftovers
        </button>
      </div>
      <TrashSettings />
    </Dialog>
  );
}
