import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { injectCspMeta } from '../../renderer/csp-meta';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../src-core/rules';

const readShell = () => readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
const metaCsp = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];

describe('the page shell', () => {
  it('gets the one strict content security policy at build time, the header policy without its header-only directive', async () => {
    const built = injectCspMeta(await readShell());
    expect(metaCsp(built)).toBe(CONTENT_SECURITY_POLICY_META);
    expect(CONTENT_SECURITY_POLICY_META).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    expect(CONTENT_SECURITY_POLICY_META).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('the built page carries it (npm test builds before it tests)', async () => {
    const built = await readFile(new URL('../../out/renderer/index.html', import.meta.url), 'utf8').catch(() => {
      throw new Error('out/renderer/index.html is missing: run "node scripts/build.mjs" (npm test does it first)');
    });
    expect(metaCsp(built)).toBe(CONTENT_SECURITY_POLICY_META);
  });

  it('a page without the meta tag, or with two, fails the build', () => {
    expect(() => injectCspMeta('<html><head></head></html>')).toThrow(/exactly one/);
    const tag = '<meta http-equiv="Content-Security-Policy" content="" />';
    expect(() => injectCspMeta(`${tag}${tag}`)).toThrow(/found 2/);
  });

  it('has no inline script or style', async () => {
    const html = await readShell();
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
