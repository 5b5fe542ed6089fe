import { describe, expect, it } from 'vitest';
import { cleanDescription, cleanName, descriptionProblem, freeName, nameProblem } from '../../src-core/rules';

describe('snapshot names', () => {
  it('any printable name is fine, slashes and any length included, as cocoon takes them', () => {
    for (const ok of ['web-golden', 'team/web', 'a\\b', 'x'.repeat(5000), 'ünïcødé snapshot ✓', '', ' spaced ', '../up']) expect(nameProblem(ok), ok.slice(0, 20)).toBeNull();
  });

  it('control and invisible formatting characters are refused, and the sentence shows which one', () => {
    expect(nameProblem('a\u0007b')).toBe('A name cannot contain control or invisible formatting characters (it has \\u0007).');
    expect(nameProblem('web\u202egpj')).toMatch(/\\u202e/);
    expect(nameProblem('c1\u0085')).toMatch(/\\u0085/);
    expect(nameProblem('zero\u200bwidth')).toMatch(/\\u200b/);
    expect(nameProblem('iso\u2066late')).toMatch(/\\u2066/);
    expect(nameProblem('line\nbreak')).toMatch(/\\u000a/);
  });

  it('a cleaned name drops what is refused, turns line breaks into spaces and trims', () => {
    expect(cleanName('web\u202e-golden\u200b')).toBe('web-golden');
    expect(cleanName(' a\n\nb\t')).toBe('a b');
    expect(cleanName('\u001b\u202e')).toBe('');
    expect(nameProblem(cleanName('x\u0000y\u009bz'))).toBeNull();
  });

  it('a free name counts on from N+1, or from 2 when the name has no number', () => {
    const taken = new Set(['web', 'web-2', 'db-7', 'db-8', 'team/web']);
    const isTaken = (n: string) => taken.has(n);
    expect(freeName('web', isTaken)).toBe('web-3');
    expect(freeName('web-2', isTaken)).toBe('web-3');
    expect(freeName('db-7', isTaken)).toBe('db-9');
    expect(freeName('team/web', isTaken)).toBe('team/web-2');
    expect(freeName('new', isTaken)).toBe('new');
    expect(freeName('', () => true)).toBe('');
  });
});

describe('snapshot descriptions', () => {
  it('free text of any length, with line breaks and tabs, is fine', () => {
    expect(descriptionProblem('nginx + app\nwarmed cache\tv2')).toBeNull();
    expect(descriptionProblem('d'.repeat(5000))).toBeNull();
  });

  it('other control and formatting characters are refused; a cleaned description is offered', () => {
    expect(descriptionProblem('red \u001b[31m')).toMatch(/other than line breaks and tabs \(it has \\u001b\)/);
    expect(descriptionProblem('a\r\nb')).toMatch(/\\u000d/);
    expect(descriptionProblem('bidi \u202e')).toMatch(/\\u202e/);
    expect(cleanDescription('a\r\nb \u001b[31mred\u202e')).toBe('a\nb [31mred');
    expect(descriptionProblem(cleanDescription('x\u0085\ty\u2029'))).toBeNull();
  });
});
