/** Puts focus on the snapshot list (its active row stays the one it was). */
export function focusList(): void {
  document.querySelector<HTMLElement>('[data-main-focus]')?.focus();
}

/**
 * Keeps keyboard focus in the window's work: whenever the focused control
 * goes away (a row deleted elsewhere, a cleared list, a closed strip) and
 * focus falls to the page, it goes to the snapshot list (or, with no
 * snapshots, to Import…), where the keys work. A removed element fires no
 * focusout, so DOM removals are watched as well as focus leaving. A dialog
 * or menu open looks after its own focus. Returns the function that stops it.
 */
export function keepFocusInWindow(): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  const check = (): void => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      pending = null;
      if (document.activeElement !== document.body && document.activeElement !== null) return;
      if (document.querySelector('.backdrop, [role="menu"]')) return;
      focusList();
    }, 0);
  };
  // Focus moving to another control is not a loss; the window losing focus keeps its active element.
  const onFocusOut = (e: FocusEvent): void => {
    if (e.relatedTarget === null) check();
  };
  // Runs on every change of the page (scrolling the list, progress): the cheap test first.
  const removals = new MutationObserver((records) => {
    if (document.activeElement === document.body && records.some((r) => r.removedNodes.length > 0)) check();
  });
  document.addEventListener('focusout', onFocusOut);
  removals.observe(document.body, { childList: true, subtree: true });
  return () => {
    document.removeEventListener('focusout', onFocusOut);
    removals.disconnect();
    if (pending !== null) clearTimeout(pending);
  };
}
