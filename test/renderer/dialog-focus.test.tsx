// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Dialog } from '../../renderer/shared/Dialog';

describe('a dialog keeps the keyboard inside', () => {
  it('Tab and Shift+Tab cycle through a <details> summary too, never to the page behind', async () => {
    const user = userEvent.setup();
    render(
      <>
        <button type="button">Behind</button>
        <Dialog title="Import snapshot" onClose={() => undefined} footer={<button type="button">Import</button>}>
          <details>
            <summary>Details</summary>
            <p>why it cannot be read</p>
          </details>
        </Dialog>
      </>,
    );
    const summary = screen.getByText('Details');
    const importButton = screen.getByRole('button', { name: 'Import' });
    summary.focus();
    await user.tab({ shift: true });
    expect(importButton).toHaveFocus();
    await user.tab();
    expect(summary).toHaveFocus();
    await user.tab();
    expect(importButton).toHaveFocus();
  });
});
