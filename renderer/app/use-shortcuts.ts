import { useEffect } from 'react';
import type { Controller } from './controller';

const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

/**
 * Window-wide keys. Table keys (arrows, Delete, Ctrl+A) live on the table so
 * they never fire while typing. Import and export keys are left to the
 * desktop menu's accelerators there, so one press never opens two dialogs.
 */
export function useShortcuts(controller: Controller): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = controller.stores.ui.getState();
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
        void controller.refresh();
      } else if (mod && !e.shiftKey && !controller.isDesktop && !modalOpen && (key === 'o' || key === 'e')) {
        e.preventDefault();
        if (key === 'o') void controller.pickImport();
        else void controller.exportSelected();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
