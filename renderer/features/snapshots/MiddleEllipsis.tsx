/**
 * Splits an image reference so its end stays readable when the cell is too
 * narrow: "ghcr.io/org/ubuntu:24.04" keeps ":24.04", a digest reference keeps
 * the digest's last 12 characters, a bare name keeps its last path segment.
 */
export function splitForMiddleEllipsis(text: string): [head: string, tail: string] {
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const cut = Math.max(at, text.length - 12);
    return [text.slice(0, cut), text.slice(cut)];
  }
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  // A colon before the last slash is a registry port ("host:5000/name"), not a tag.
  const cut = colon > slash ? colon : slash >= 0 ? slash + 1 : Math.max(0, text.length - 12);
  return [text.slice(0, cut), text.slice(cut)];
}

/** Text cut in the middle by CSS: the head shrinks with an ellipsis, the tail (tag) never does. */
export function MiddleEllipsis({ text }: { text: string }) {
  const [head, tail] = splitForMiddleEllipsis(text);
  return (
    <span className="mid-ellipsis" title={text}>
      <span className="mid-head">{head}</span>
      <span className="mid-tail">{tail}</span>
    </span>
  );
}
