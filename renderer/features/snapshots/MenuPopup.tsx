import { useEffect, useRef, type KeyboardEvent } from 'react';
import { handleMenuKeys } from '../../shared/menu-keys';
import { useMenuDismiss } from '../../shared/use-menu-dismiss';

export interface MenuItem {
  label: string;
  run: () => void;
  /** menuitemradio / menuitemcheckbox when set. */
  kind?: 'radio' | 'checkbox';
  checked?: boolean;
  disabled?: boolean;
  /** A checkbox list stays open so several columns can be toggled in a row. */
  keepOpen?: boolean;
  /** A line above this item. */
  separated?: boolean;
}

interface MenuPopupProps {
  label: string;
  items: readonly MenuItem[];
  /** Where the menu's top-left corner goes (kept inside the window). */
  x: number;
  y: number;
  /** Closes the menu; `restoreFocus` is false when the user clicked elsewhere (focus goes where they clicked). */
  onClose: (restoreFocus: boolean) => void;
}

/**
 * A popup menu: focus on the checked (or first) item, arrows and Home/End
 * move, Enter/Space choose, Escape or Tab or a click outside closes.
 */
export function MenuPopup({ label, items, x, y, onClose }: MenuPopupProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = ref.current;
    const all = [...(box?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? [])];
    (all.find((el) => el.getAttribute('aria-checked') === 'true' && el.getAttribute('role') === 'menuitemradio') ?? all[0])?.focus();
  }, []);
  // A press on the opener is left to it (it toggles the menu shut).
  useMenuDismiss(
    ref,
    () => onClose(false),
    (target) => target instanceof Element && target.closest('[aria-haspopup="menu"][aria-expanded="true"]') !== null,
  );

  const onKeyDown = (e: KeyboardEvent) => handleMenuKeys(e, ref.current, '[role^="menuitem"]:not([aria-disabled="true"])', () => onClose(true));

  const left = Math.max(4, Math.min(x, window.innerWidth - 240));
  const top = Math.max(4, Math.min(y, window.innerHeight - items.length * 30 - 16));

  return (
    <div ref={ref} role="menu" aria-label={label} className="context-menu" style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role={item.kind === 'radio' ? 'menuitemradio' : item.kind === 'checkbox' ? 'menuitemcheckbox' : 'menuitem'}
          aria-checked={item.kind ? item.checked === true : undefined}
          aria-disabled={item.disabled ? true : undefined}
          tabIndex={-1}
          className={`${item.kind ? 'checkable' : ''}${item.separated ? ' separated' : ''}`}
          onClick={() => {
            if (item.disabled) return;
            item.run();
            if (!item.keepOpen) onClose(true);
          }}
        >
          {item.kind ? (
            <span className="check" aria-hidden="true">
              {item.checked ? (item.kind === 'radio' ? '●' : '✓') : ''}
            </span>
          ) : null}
          {item.label}
        </button>
      ))}
    </div>
  );
}
