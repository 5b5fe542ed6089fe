import type { KeyboardEvent } from 'react';

/**
 * The keys of a popup menu: arrows, Home and End move focus among its items
 * (wrapping), Escape and Tab close it. Handled keys go no further.
 */
export function handleMenuKeys(e: KeyboardEvent, menu: HTMLElement | null, itemSelector: string, close: () => void): void {
  const all = [...(menu?.querySelectorAll<HTMLElement>(itemSelector) ?? [])];
  const i = all.indexOf(document.activeElement as HTMLElement);
  const go = (n: number) => all[(n + all.length) % all.length]?.focus();
  if (e.key === 'ArrowDown') go(i + 1);
  else if (e.key === 'ArrowUp') go(i - 1);
  else if (e.key === 'Home') go(0);
  else if (e.key === 'End') go(all.length - 1);
  else if (e.key === 'Escape' || e.key === 'Tab') close();
  else return;
  e.preventDefault();
  e.stopPropagation();
}
