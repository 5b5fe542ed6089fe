import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../app/context';
import { ARCHIVE_ACCEPT, ARCHIVE_EXTENSIONS_TEXT } from '../../../src-core/rules';

const hasFiles = (dt: DataTransfer | null): boolean => !!dt && Array.from(dt.types ?? []).includes('Files');

/**
 * Files dropped anywhere on the window start an import. Listens on the window
 * (not one element) so a drop works wherever it lands, including synthetic
 * drops built from a DataTransfer.
 */
export function DropTarget() {
  const app = useApp();
  const [active, setActive] = useState(false);
  const depth = useRef(0);
  const pickerRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth.current++;
      setActive(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      // Without this the browser (or Electron) would open the file instead of handing it to us.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setActive(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0 || e.relatedTarget === null) setActive(false);
    };
    const onDrop = (e: DragEvent) => {
      e.preventDefault();
      depth.current = 0;
      setActive(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0) void app.imports.importFiles(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [app]);

  // The browser transport has no native open dialog: Import… clicks this input instead.
  useEffect(() => {
    app.imports.registerFilePicker(() => pickerRef.current?.click());
    return () => app.imports.registerFilePicker(null);
  }, [app]);

  return (
    <>
      {active ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">
            <strong>Drop to import</strong>
            <span>{ARCHIVE_EXTENSIONS_TEXT} snapshot archives</span>
          </div>
        </div>
      ) : null}
      {/* Holds files for scripted drops (a DataTransfer is built from its files); it imports nothing by itself. */}
      <input type="file" data-testid="drop-input" multiple hidden tabIndex={-1} aria-hidden="true" />
      <input
        ref={pickerRef}
        type="file"
        data-testid="import-input"
        multiple
        accept={ARCHIVE_ACCEPT}
        hidden
        tabIndex={-1}
        aria-label="Choose snapshot archives to import"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Reset so choosing the same file again still fires a change.
          e.target.value = '';
          if (files.length > 0) void app.imports.importFiles(files);
        }}
      />
    </>
  );
}
