/**
 * Splits an image reference into the part that may be cut and the part that
 * always stays: the tag (":24.04"), or for a digest reference "@…" and the
 * digest's last 8 characters (enough to tell digests apart in a list, short
 * enough to leave the image's name room in the column; the tooltip and the
 * details pane have the whole reference). The first part loses its start when the cell
 * is narrow (registry and path go first, the image's name last):
 * "ghcr.io/org/ubuntu:24.04" is ["ghcr.io/org/ubuntu", ":24.04"].
 */
export function splitImageReference(text: string): [head: string, tail: string] {
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const digest = text.slice(at + 1);
    // The hex after the algorithm ("sha256:") is what tells digests apart.
    const hex = digest.slice(digest.indexOf(':') + 1);
    return [text.slice(0, at), hex.length > 8 ? `@…${hex.slice(-8)}` : `@${digest}`];
  }
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  // A colon before the last slash is a registry port ("host:5000/name"), not a tag.
  return colon > slash ? [text.slice(0, colon), text.slice(colon)] : [text, ''];
}

/**
 * An image reference cut by CSS where it matters least: the head is laid out
 * right to left so its overflow, and the ellipsis, fall at its start; the
 * text itself stays left to right in an isolate. The tail never shrinks.
 */
export function ImageReference({ text }: { text: string }) {
  const [head, tail] = splitImageReference(text);
  return (
    <span className="image-ref" title={text}>
      <span className="ref-head">
        <bdi dir="ltr">{head}</bdi>
      </span>
      {tail && <span className="ref-tail">{tail}</span>}
    </span>
  );
}
