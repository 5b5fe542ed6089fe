import { Fragment } from 'react';
import { splitUnsafe } from '../../src-core/rules';

interface EscapedTextProps {
  text: string;
  /** Free text (descriptions): line breaks and tabs are shown as they are. */
  multiline?: boolean;
}

/**
 * Text from a snapshot or an archive, with every control or invisible
 * formatting character (a bidi override, a zero-width space, an escape)
 * shown as its visible escape, e.g. `\u202e`, marked so it cannot pass for
 * part of the name. Plain text renders as plain text.
 */
export function EscapedText({ text, multiline }: EscapedTextProps) {
  const segments = splitUnsafe(text, multiline ? { multiline: true } : undefined);
  if (!segments.some((s) => s.escaped)) return <>{text}</>;
  return (
    <>
      {segments.map((s, i) =>
        s.escaped ? (
          <span key={i} className="escaped-char" title="A control or invisible formatting character, shown escaped">
            {s.text}
          </span>
        ) : (
          <Fragment key={i}>{s.text}</Fragment>
        ),
      )}
    </>
  );
}
