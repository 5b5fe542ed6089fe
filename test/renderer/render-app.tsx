import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../renderer/App';
import { createAppModel } from '../../renderer/app/app-model';
import type { FakeApi } from './fake-api';

// The window saves its layout (sort, columns, details pane) in localStorage: every test starts from none.
afterEach(() => localStorage.clear());

/** The window size tests assume unless they set another (jsdom's default 1024 would collapse the details pane). */
export function setWindowWidth(width: number): void {
  Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: width });
  window.dispatchEvent(new Event('resize'));
}

/** Renders the whole window against a fake API and waits for the first list. */
export async function renderApp(api: FakeApi, opts: { width?: number } = {}) {
  setWindowWidth(opts.width ?? 1280);
  const user = userEvent.setup();
  const app = createAppModel(api);
  const view = render(<App api={api} model={app} />);
  await waitFor(() => expect(app.stores.snapshots.getState().status).not.toBe('loading'));
  await waitFor(() => expect(app.stores.settings.getState().info).not.toBeNull());
  return { ...view, user, app, stores: app.stores, screen };
}

/** The grid's data rows currently in the DOM (the header row excluded). */
export function dataRows(): HTMLElement[] {
  return screen.getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== '1' && r.closest('[role="rowgroup"]')?.classList.contains('grid-rows'));
}

// jsdom has no layout: give the table body the height a browser would (600 px, the spacer's height to scroll),
// and an Element.scrollTo that sets scrollTop and fires "scroll" after the current render, as a browser does.
if (typeof HTMLElement !== 'undefined' && !('__snapdeskLayout' in HTMLElement.prototype)) {
  Object.defineProperty(HTMLElement.prototype, '__snapdeskLayout', { value: true });
  const isBody = (el: HTMLElement) => el.classList.contains('grid-body');
  const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
  const scrollHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isBody(this) ? 600 : (clientHeight?.get?.call(this) ?? 0);
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      if (isBody(this)) return parseFloat(this.querySelector<HTMLElement>('.grid-spacer')?.style.height ?? '0') || 0;
      return scrollHeight?.get?.call(this) ?? 0;
    },
  });
  Element.prototype.scrollTo = function scrollTo(this: Element, arg?: ScrollToOptions | number, y?: number) {
    const top = typeof arg === 'number' ? y : arg?.top;
    if (typeof top === 'number') this.scrollTop = top;
    setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
  } as Element['scrollTo'];
}
