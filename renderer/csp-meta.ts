/**
 * Build step (a vite plugin scripts/build.mjs adds; it runs in Node, not in the window):
 * writes the one Content-Security-Policy of src-core/rules into the page's
 * meta tag, so the page and the HTTP header can never disagree.
 */
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../src-core/rules';

const META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/>/g;

/** `html` with its CSP meta tag's content set from the rules; fails unless there is exactly one such tag. */
export function injectCspMeta(html: string): string {
  const found = html.match(META)?.length ?? 0;
  if (found !== 1) throw new Error(`renderer/index.html must hold exactly one Content-Security-Policy meta tag (found ${found})`);
  return html.replace(META, `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`);
}

export const cspMetaPlugin = (): Plugin => ({ name: 'snapdesk-csp-meta', transformIndexHtml: injectCspMeta });
