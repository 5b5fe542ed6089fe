import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, '..', '..', 'renderer', 'styles', 'theme.css'), 'utf8');

/** The `--name: #rrggbb` variables of the first block opened by `selector`. */
function colors(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`theme.css has no block for ${selector}`);
  const body = css.slice(start, css.indexOf('}', start));
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)) out[m[1] as string] = (m[2] as string).toLowerCase();
  return out;
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// Text colour on background, as app.css pairs them (all text is under 18 px, so AA asks 4.5:1).
const PAIRS: [fg: string, bg: string, where: string][] = [
  ['text', 'bg', 'body text'],
  ['text', 'surface', 'table, panels, dialogs'],
  ['text', 'surface-2', 'hovered rows and buttons'],
  ['text', 'selected', 'selected rows (their muted and link text too, see app.css)'],
  ['text', 'selected-focus', 'the focused selected row'],
  ['muted', 'bg', 'empty-state note'],
  ['muted', 'surface', 'labels, task meta, field placeholders'],
  ['muted', 'surface-2', 'column headers'],
  ['muted', 'row-odd', 'descriptions on striped rows'],
  ['danger', 'bg', 'store error state'],
  ['danger', 'surface', 'field errors, failed tasks'],
  ['danger', 'danger-soft', 'refresh error banner, hovered Delete'],
  ['on-danger', 'danger', 'error toast, Delete button'],
  ['accent-text', 'accent', 'primary buttons, menu focus'],
  ['accent', 'surface', 'link buttons'],
  ['accent', 'bg', 'link buttons outside panels'],
  ['success', 'surface', 'a finished task'],
  ['bg', 'text', 'info and success toasts'],
];

const THEMES = {
  light: colors(':root'),
  dark: colors(":root[data-theme='dark']"),
};

describe('theme colours', () => {
  for (const [theme, vars] of Object.entries(THEMES)) {
    it(`every text colour of the ${theme} theme has at least 4.5:1 contrast on its background`, () => {
      const failures: string[] = [];
      for (const [fg, bg, where] of PAIRS) {
        const a = vars[fg];
        const b = vars[bg] ?? THEMES.light[bg];
        expect(a, `--${fg} in the ${theme} theme`).toBeDefined();
        expect(b, `--${bg} in the ${theme} theme`).toBeDefined();
        const ratio = contrast(a as string, b as string);
        if (ratio < 4.5) failures.push(`--${fg} on --${bg} (${where}): ${ratio.toFixed(2)}:1`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('the dark theme chosen by the OS and the one chosen in the app are the same colours', () => {
    expect(colors(":root:not([data-theme='light'])")).toEqual(THEMES.dark);
  });
});
