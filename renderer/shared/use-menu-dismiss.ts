import { useEffect, useRef, type RefObject } from 'react';

/**
 * Closes an open popup menu when the user goes elsewhere: a press outside
 * it (unless `spared` says the target handles the press itself, like the
 * menu's own opener), the window losing focus, or the window resizing.
 */
export function useMenuDismiss(ref: RefObject<HTMLElement | null>, dismiss: () => void, spared: (target: EventTarget | null) => boolean = () => false): void {
  // The latest callbacks, so the listeners are added once per menu.
  const latest = useRef({ dismiss, spared });
  useEffect(() => {
    latest.current = { dismiss, spared };
  });
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node) && !latest.current.spared(e.target)) latest.current.dismiss();
    };
    const onAway = () => latest.current.dismiss();
    document.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onAway);
    window.addEventListener('resize', onAway);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onAway);
      window.removeEventListener('resize', onAway);
    };
  }, [ref]);
}
