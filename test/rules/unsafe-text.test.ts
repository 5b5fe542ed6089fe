import { describe, expect, it } from 'vitest';
import { escapeChar, escapedJson, escapeUnsafe, firstUnsafeChar, hasUnsafeChars, splitUnsafe, stripUnsafe } from '../../src-core/rules';

// One of each class the rule covers: C0, DEL, C1, bidi override and isolate, zero-width, other Cf, line separator, lone surrogate.
const UNSAFE_SAMPLES = ['\u0000', '\u001b', '\r', '\u007f', '\u0085', '\u009b', '\u202e', '\u2066', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u2028', '\udc00', '\u{e0041}'];

describe('unsafe characters', () => {
  it('every control, bidi, zero-width and other format character counts; printable text of any script does not', () => {
    for (const ch of UNSAFE_SAMPLES) expect(hasUnsafeChars(`a${ch}b`), escapeChar(ch)).toBe(true);
    for (const ok of ['web-golden', 'team/web', 'ünïcødé ✓', '名前 スナップ', 'שלום', '🙂 emoji', 'a\\b', 'tab\u00a0nbsp']) expect(hasUnsafeChars(ok), ok).toBe(false);
  });

  it('multi-line text keeps its line breaks and tabs, and nothing else', () => {
    expect(hasUnsafeChars('line 1\nline 2\tx', { multiline: true })).toBe(false);
    expect(firstUnsafeChar('a\nb\r\n', { multiline: true })).toBe('\r');
    expect(firstUnsafeChar('a\nb')).toBe('\n');
  });

  it('escapes are \\uXXXX of each UTF-16 unit, lower-case, as JSON writes them', () => {
    expect(escapeChar('\u202e')).toBe('\\u202e');
    expect(escapeChar('\u001b')).toBe('\\u001b');
    expect(escapeChar('\u{e0041}')).toBe('\\udb40\\udc41');
    expect(escapeUnsafe('evil\u202egpj.exe\u001b[2J')).toBe('evil\\u202egpj.exe\\u001b[2J');
    expect(escapeUnsafe('a\nb\tc', { multiline: true })).toBe('a\nb\tc');
    expect(escapeUnsafe('plain')).toBe('plain');
    // Escaped text has nothing left to escape.
    const once = escapeUnsafe(UNSAFE_SAMPLES.join(''));
    expect(hasUnsafeChars(once)).toBe(false);
    expect(escapeUnsafe(once)).toBe(once);
  });

  it('escaped JSON parses to exactly the same value and carries no unsafe character', () => {
    const value = { name: UNSAFE_SAMPLES.join('x'), nested: ['\u0085', 'ok'], n: 1 };
    const text = escapedJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(hasUnsafeChars(text, { multiline: true })).toBe(false);
    expect(text).toContain('\\u202e');
  });

  it('splits text into plain runs and escape runs for the UI', () => {
    expect(splitUnsafe('web')).toEqual([{ text: 'web', escaped: false }]);
    expect(splitUnsafe('')).toEqual([]);
    expect(splitUnsafe('a\u202e\u200bb\u001b')).toEqual([
      { text: 'a', escaped: false },
      { text: '\\u202e\\u200b', escaped: true },
      { text: 'b', escaped: false },
      { text: '\\u001b', escaped: true },
    ]);
    expect(splitUnsafe('one\ntwo', { multiline: true })).toEqual([{ text: 'one\ntwo', escaped: false }]);
  });

  it('stripping drops unsafe characters and turns line breaks and tabs into spaces', () => {
    expect(stripUnsafe('we\u202eb\u200b\u001b[0m')).toBe('web[0m');
    expect(stripUnsafe('a\tb\nc\r\nd')).toBe('a b c  d');
    expect(stripUnsafe('a\nb\tc\u0007', { multiline: true })).toBe('a\nb\tc');
  });
});
