import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useApp, useUi } from '../../app/context';
import { handleMenuKeys } from '../../shared/menu-keys';
import { useMenuDismiss } from '../../shared/use-menu-dismiss';

interface Item {
  label: string;
  run: () => void;
  danger?: boolean;
}

/**
 * The row context menu (right-click, Shift+F10, the Menu key): a real menu
 * with arrow-key navigation; Escape or a click elsewhere closes it and focus
 * goes back to the table.
 */
export function ContextMenu() {
  const menu = useUi((s) => s.contextMenu);
  return menu ? <OpenMenu x={menu.x} y={menu.y} id={menu.id} /> : null;
}

function OpenMenu({ x, y, id }: { x: number; y: number; id: string }) {
  const app = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const ui = app.stores.ui.getState();
  const count = app.snapshots.selectedIds().length;
  const many = count > 1;

  const close = () => {
    app.stores.ui.getState().closeContextMenu();
    document.querySelector<HTMLElement>('[role="grid"]')?.focus();
  };

  const items: Item[] = [
    { label: 'Inspect', run: () => ui.requestFocusInspect() },
    { label: many ? `Export ${count} snapshots…` : 'Export…', run: () => void app.exports.exportSelected() },
    ...(many ? [] : [{ label: 'Push to registry…', run: () => app.registry.openPush() }]),
    ...(many ? [] : [{ label: 'Rename…', run: () => ui.requestEdit(id) }]),
    { label: 'Copy ID', run: () => void app.snapshots.copyText(id, 'the snapshot ID') },
    { label: many ? `Move ${count} snapshots to the trash` : 'Move to the trash', run: () => app.moveSelectedToTrash(), danger: true },
    { label: many ? `Delete ${count} snapshots for ever…` : 'Delete for ever…', run: () => app.snapshots.askDeleteForeverSelected(), danger: true },
  ];

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, []);
  useMenuDismiss(ref, () => app.stores.ui.getState().closeContextMenu());

  const onKeyDown = (e: KeyboardEvent) => handleMenuKeys(e, ref.current, '[role="menuitem"]', close);

  // Keep the menu inside the window.
  const left = Math.max(4, Math.min(x, window.innerWidth - 220));
  const top = Math.max(4, Math.min(y, window.innerHeight - items.length * 32 - 16));

  return (
    <div ref={ref} role="menu" aria-label="Snapshot actions" className="context-menu" style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'danger-text' : undefined}
          onClick={() => {
            // Focus goes back to the table first, so a dialog the action opens returns it there.
            close();
            item.run();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
