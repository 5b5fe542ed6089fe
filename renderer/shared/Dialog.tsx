import { useEffect, useId, useRef, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { focusList } from './list-focus';

// A <details>' <summary> takes focus too: left out, Tab and Shift+Tab around it would leave the dialog.
// (Plain `summary`: jsdom returns a list with a child combinator in it out of document order.)
const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for sizing. */
  className?: string;
  /** role="alertdialog" for confirmations. */
  alert?: boolean;
  description?: ReactNode;
  /** The buttons: pinned under the scrolling body, so no amount of content pushes them out of view. */
  footer?: ReactNode;
}

/**
 * A modal dialog, anchored near the top (it does not re-centre as its
 * content grows): focus moves in (to `[data-autofocus]` or the first
 * control) without scrolling the body away from its top, Tab cycles inside,
 * Escape closes, focus never falls out to the page (a button that disables
 * itself hands it to the dialog), and on close focus returns to where it was.
 */
export function Dialog({ title, onClose, children, className, alert, description, footer }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = ref.current;
    const target = box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>(FOCUSABLE) ?? box;
    target?.focus({ preventScroll: true });
    box?.querySelector('.dialog-body')?.scrollTo?.({ top: 0 });
    // A focused control that goes away (a restored row of the Trash view) drops focus to the page without a
    // blur event, where Escape and Tab no longer reach the dialog: take it back.
    const observer = new MutationObserver(() => {
      if (box?.isConnected && (document.activeElement === document.body || document.activeElement === null)) box.focus({ preventScroll: true });
    });
    if (box) observer.observe(box, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      // Return focus only if it is still inside the closing dialog (or lost), not if the user moved on.
      const lost = !document.activeElement || document.activeElement === document.body || box?.contains(document.activeElement);
      if (!lost) return;
      if (previous?.isConnected) previous.focus();
      // The opener may be gone or disabled now (e.g. Delete with nothing left selected): fall back to the dialog
      // this one was opened over, if any, else the table.
      if (document.activeElement === document.body || box?.contains(document.activeElement)) {
        const under = [...document.querySelectorAll<HTMLElement>('.dialog')].filter((d) => d !== box && d.isConnected).pop();
        if (under) under.focus();
        else focusList();
      }
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      onCloseRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  // A focused button that becomes disabled (e.g. "Reset to default" once reset) drops focus to the page,
  // where Escape no longer reaches the dialog: take it back.
  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (e.relatedTarget !== null) return;
    const box = ref.current;
    setTimeout(() => {
      if (box?.isConnected && (document.activeElement === document.body || document.activeElement === null)) box.focus({ preventScroll: true });
    }, 0);
  };

  return (
    <div className="backdrop">
      <div
        ref={ref}
        className={`dialog ${className ?? ''}`}
        role={alert ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <div className="dialog-body">
          {description ? (
            <div id={descId} className="dialog-description">
              {description}
            </div>
          ) : null}
          {children}
        </div>
        {footer ? <div className="dialog-actions dialog-footer">{footer}</div> : null}
      </div>
    </div>
  );
}
