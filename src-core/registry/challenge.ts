/**
 * WWW-Authenticate challenges (RFC 7235): `Basic realm="…"` and
 * `Bearer realm="…",service="…",scope="…"` as distribution, Docker Hub,
 * GHCR and Harbor send them.
 */

export interface Challenge {
  /** Lower-cased scheme: "basic", "bearer", … */
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a header value (registries send one). */
export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header) return null;
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  let rest = m[2] ?? '';
  const param = /^\s*,?\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*/s;
  for (;;) {
    const p = param.exec(rest);
    if (!p || p[0] === '') break;
    params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
    rest = rest.slice(p[0].length);
  }
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

/** The token scopes a request needs: `repository:NAME:ACTIONS`. */
export const repositoryScope = (repository: string, actions: 'pull' | 'pull,push'): string => `repository:${repository}:${actions}`;
