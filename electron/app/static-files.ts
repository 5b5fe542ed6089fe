import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (path: string): string => CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/**
 * Maps a URL path to a file of the built renderer, or null. Never leaves
 * `dir` (no `..`, no encoded separators, no NUL); a path without an
 * extension falls back to index.html so the single-page app can own its URLs.
 */
export async function resolveStaticFile(dir: string, urlPath: string): Promise<{ path: string; contentType: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const root = normalize(dir);
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  if (rel.split(/[/\\]/).includes('..')) return null;
  let file = join(root, rel === '' || rel === '.' ? 'index.html' : rel);
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  let st = await stat(file).catch(() => null);
  if ((!st || !st.isFile()) && extname(file) === '') {
    file = join(root, 'index.html');
    st = await stat(file).catch(() => null);
  }
  if (!st || !st.isFile()) return null;
  return { path: file, contentType: contentTypeOf(file), size: st.size };
}
