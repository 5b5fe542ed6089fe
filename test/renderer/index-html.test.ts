import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

describe('the page shell', () => {
  it('carries the strict content security policy and no inline script or style', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CSP);
    // Every script is an external module; no <style> blocks and no style attributes.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toMatch(/type="module"\s+src="\.\/main\.tsx"/);
    expect(scripts[0]?.[2]?.trim()).toBe('');
    expect(html).not.toMatch(/<style|style="/);
  });

  it('renderer code never injects markup from data', async () => {
    const { readdir } = await import('node:fs/promises');
    const root = new URL('../../renderer/', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.tsx?$/.test(f));
    for (const f of files) {
      const text = await readFile(new URL(f, root), 'utf8');
      expect(text, f).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML/);
    }
  });
});
