import { useApp, useUi } from './context';
import { Dialog } from '../shared/Dialog';
import { ArchiveExtensions } from '../shared/ArchiveExtensions';

export const SHORTCUTS: readonly [string, string][] = [
  ['↑ ↓', 'Move through snapshots'],
  ['Shift + ↑ ↓', 'Extend the selection'],
  ['Home / End', 'First / last snapshot'],
  ['Page Up / Page Down', 'Move a page'],
  ['Click, Shift+Click, Ctrl/⌘+Click', 'Select one, a range, or toggle'],
  ['Space', 'Toggle the focused snapshot'],
  ['Ctrl/⌘ + A', 'Select all shown'],
  ['Enter', 'Inspect the snapshot'],
  ['F2', 'Rename the snapshot'],
  ['Enter (in a name or description)', 'Save the edit'],
  ['Shift + Enter (in a description)', 'New line'],
  ['Escape (in a field)', 'Cancel the edit'],
  ['Delete (Mac: delete ⌫)', 'Move the selection to the trash (Undo in the message)'],
  ['Shift+Delete', 'Delete the selection for ever (asks first)'],
  ['Shift + F10 or Menu key', 'Actions for the snapshot'],
  ['Escape', 'Clear the selection, close a dialog, menu or the transfers panel'],
  ['← → (on a column header)', 'Move between columns'],
  ['Ctrl/⌘ + ← → (on a column header)', 'Narrow or widen the column'],
  ['Shift + F10 (on a column header)', 'Choose columns'],
  ['Ctrl/⌘ + F', 'Search'],
  ['F5', 'Refresh the list'],
  ['Ctrl/⌘ + O', 'Import…'],
  ['Ctrl/⌘ + E', 'Export the selection'],
  ['?, F1 or Ctrl/⌘ + /', 'This help'],
];

/** Keyboard shortcuts and how to get snapshots in. */
export function HelpOverlay() {
  const open = useUi((s) => s.helpOpen);
  const app = useApp();
  if (!open) return null;
  const close = () => app.stores.ui.getState().setHelp(false);
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={close}
      className="help"
      footer={
        <button type="button" className="primary" onClick={close} data-autofocus>
          Close
        </button>
      }
    >
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        To import, drop <ArchiveExtensions /> archives on the window or use Import…. Right-click a snapshot for
        more actions.
      </p>
    </Dialog>
  );
}
