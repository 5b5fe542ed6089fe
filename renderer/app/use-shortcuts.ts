import { useEffect } from 'react';
import { isDesktop } from '../features/settings/settings-store';
import type { AppModel } from './app-model';

const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

/**
 * Window-wide keys. Table keys (arrows, Delete, Ctrl+A) live on the table so
 * they never fire while typing. Import and export keys are left to the
 * desktop menu's accelerators there, so one press never opens two dialogs.
 */
export function useShortcuts(app: AppModel): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = app.stores.ui.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const modalOpen = document.querySelector('[aria-modal="true"]') !== null;
      if (mod && key === 'f') {
        e.preventDefault();
        if (!modalOpen) ui.requestFocusSearch();
      } else if (e.key === 'F1' || (mod && e.key === '/') || (e.key === '?' && !mod && !isTyping(e.target))) {
        e.preventDefault();
        ui.setHelp(true);
      } else if (e.key === 'F5' && !modalOpen) {
        e.preventDefault();
        void app.snapshots.refresh();
      } else if (mod && !e.shiftKey && !isDesktop(app.stores.settings.getState()) && !modalOpen && (key === 'o' || key === 'e')) {
        e.preventDefault();
        if (key === 'o') void app.imports.pick();
        else void app.exports.exportSelected();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);
}
