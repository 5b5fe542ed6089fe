/**
 * Puts focus on the snapshot list if it has fallen to the page (the control
 * that had it went away, e.g. a closed drawer's button); leaves it where it
 * is otherwise, so a key pressed meanwhile (Ctrl+F to the search) wins.
 */
export function refocusListIfLost(): void {
  if (document.activeElement === document.body || document.activeElement === null) focusList();
}

/** Puts focus on the snapshot list (its active row stays the one it was). */
export function focusList(): void {
  document.querySelector<HTMLElement>('[data-main-focus]')?.focus();
}
