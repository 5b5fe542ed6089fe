// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EscapedText } from '../../renderer/shared/EscapedText';
import { FakeApi, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

/** What must never be on the page as itself. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

describe('text with hidden characters in the window', () => {
  it('plain text renders as plain text, with no marker', () => {
    const { container } = render(<EscapedText text="web-golden" />);
    expect(container.innerHTML).toBe('web-golden');
  });

  it('each run of control or invisible formatting characters is shown as its escape in a marked span', () => {
    const { container } = render(<EscapedText text={'a\u202e\u200bb\u009bc'} />);
    expect(container.textContent).toBe('a\\u202e\\u200bb\\u009bc');
    const marks = [...container.querySelectorAll('.escaped-char')];
    expect(marks.map((m) => m.textContent)).toEqual(['\\u202e\\u200b', '\\u009b']);
    expect(marks[0]).toHaveAttribute('title', expect.stringMatching(/control or invisible formatting character/));
  });

  it('multi-line text keeps its line breaks and tabs', () => {
    const { container } = render(<EscapedText text={'one\ntwo\tthree\u001b'} multiline />);
    expect(container.textContent).toBe('one\ntwo\tthree\\u001b');
  });

  it('a stored name with bidi, C1 and escape characters is shown escaped in the table and the details', async () => {
    const name = 'web\u202egpj\u009b\u001b[31m';
    const api = new FakeApi({ snapshots: [makeSnapshot({ name, description: 'ok\u200bdesc' })] });
    const { user } = await renderApp(api);
    const row = await screen.findByRole('row', { name });
    expect(row.textContent).not.toMatch(RAW);
    expect(within(row).getByText('\\u202e', { exact: false, selector: '.escaped-char' })).toHaveTextContent('\\u202e');
    expect(row.querySelector('.cell.name')).toHaveAttribute('title', 'web\\u202egpj\\u009b\\u001b[31m');
    await user.click(row);
    const details = await screen.findByRole('complementary');
    await within(details).findByRole('heading', { level: 3 });
    expect(details.textContent).not.toMatch(RAW);
    expect(within(details).getByRole('heading', { level: 3 })).toHaveTextContent('web\\u202egpj\\u009b\\u001b[31m');
    expect(details.textContent).toContain('ok\\u200bdesc');
  });

  it('an export of such a snapshot names it escaped in the transfers panel', async () => {
    const name = 'db\u202e\u0085';
    const api = new FakeApi({ snapshots: [makeSnapshot({ name })] });
    const { user } = await renderApp(api);
    await user.click(await screen.findByRole('row', { name }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const task = await screen.findByRole('listitem', { name: `Export ${name}` });
    expect(task.querySelector('.task-title')?.textContent).toBe('Export db\\u202e\\u0085');
    expect(task.querySelector('.task-title .escaped-char')).toHaveTextContent('\\u202e\\u0085');
  });
});
