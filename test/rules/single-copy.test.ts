/**
 * Each shared rule has one home, src-core/rules. This scans the product
 * sources for the spellings of a second copy (the copies that were removed
 * are the samples each pattern must catch) and runs the lint rules that keep
 * the module pure and its users on its index.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const PRODUCT_DIRS = ['src-core', 'electron', 'renderer', 'scripts'];
const RULES_DIR = path.join('src-core', 'rules');

interface Copy {
  rule: string;
  pattern: RegExp;
  /** Lines of the copies removed from the tree: the pattern must keep catching them. */
  samples: string[];
}

const COPIES: Copy[] = [
  {
    rule: 'archive extensions (ARCHIVE_EXTENSIONS, ARCHIVE_ACCEPT, dialogExtensions, withArchiveExtension, exportFileName)',
    pattern: /['"`](\.tgz|\.tar\.gz|\.tar|tgz|tar\.gz)['"`]|\\\.(tgz|tar)\b|\.tgz,\s*\.tar|<code>\.tgz<\/code>/,
    samples: [
      "const ARCHIVE_SUFFIXES = ['.tgz', '.tar.gz', '.tar'] as const;",
      "input.accept = '.tgz,.tar.gz,.tar,application/gzip,application/x-tar';",
      "extensions: ['tgz', 'tar.gz', 'tar']",
      "return gzip ? name : name.replace(/\\.tgz$/, '.tar');",
      '<span>.tgz, .tar.gz or .tar snapshot archives</span>',
      'Drop a snapshot archive (<code>.tgz</code>, <code>.tar.gz</code> or <code>.tar</code>)',
    ],
  },
  {
    rule: 'the Content-Security-Policy (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META)',
    pattern: /\b(default|script|style|img|font|connect|object|frame|worker)-src\b|\bbase-uri\b|\bframe-ancestors\b|\bform-action\b/,
    samples: [`content="default-src 'none'; script-src 'self'"`, `"frame-ancestors 'none'",`],
  },
  {
    rule: 'the upload file-name header (UPLOAD_FILE_NAME_HEADER)',
    pattern: /x-snapdesk-file-name/i,
    samples: ["export const FILE_NAME_HEADER = 'x-snapdesk-file-name';", "export const FILE_NAME_HEADER = 'X-Snapdesk-File-Name';"],
  },
  {
    rule: 'unsafe characters (hasUnsafeChars, escapeUnsafe, splitUnsafe, stripUnsafe)',
    // Ranges and class checks; a lone DEL test (a prompt's backspace key) is no copy of the rule.
    pattern: /\\u0000-|\\x00-|\\u001f|\\x1f|\\u009f|\\u200[b-f]|\\u202[a-e]|\\u206[6-9]|\\p\{(Cc|Cf|Cs|Zl|Zp|C)\}|<\s*0x20\b/i,
    samples: [
      "if (code < 0x20 || code === 0x7f || c === '/' || c === '\\\\') return false;",
      "const clean = (s: string): string => [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\\u007f' ? '?' : c)).join('');",
      "const file = p.file ? ` ${p.file.replace(/[\\u0000-\\u001f\\u007f]/g, '?').slice(0, 40)}` : '';",
      "return JSON.stringify(cut).replace(/[\\u007f-\\u009f]/g, (c) => c);",
      'const UNSAFE = /[\\u0000-\\u001f\\u007f<>:"/\\\\|?*]/g;',
    ],
  },
  {
    rule: 'name and description limits (none: cocoon has none; MAX_TEXT_FIELD_LENGTH bounds a request)',
    pattern: /MAX_NAME_LENGTH|MAX_DESCRIPTION_LENGTH|at most 256 characters/,
    samples: ["if (name.length > 256) return 'A name can be at most 256 characters.';", 'export const MAX_NAME_LENGTH = 256;'],
  },
  {
    rule: 'free-name suggestion (freeName)',
    pattern: /-\\d\+\$|-\(\\d\{/,
    samples: ["const base = name.replace(/-\\d+$/, '');", 'const m = /^(.*)-(\\d{1,9})$/.exec(name);'],
  },
  {
    rule: 'byte and count formatting (formatBytes, formatRate, formatCount, formatNumber)',
    pattern: /['"]KiB['"]|['"]GiB['"]|Intl\.NumberFormat|\.toFixed\(1\)/,
    samples: ["const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];", "const grouped = new Intl.NumberFormat('en-US');"],
  },
];

async function productFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of PRODUCT_DIRS) {
    const entries = await readdir(path.join(ROOT, dir), { recursive: true });
    for (const rel of entries) {
      const file = path.join(dir, rel);
      if (/\.(ts|tsx|mjs|js|html)$/.test(file) && !file.startsWith(RULES_DIR + path.sep)) out.push(file);
    }
  }
  return out;
}

describe('one copy of each shared rule', () => {
  it.each(COPIES)('each removed copy of $rule would be caught', ({ pattern, samples }) => {
    for (const sample of samples) expect(sample, sample).toMatch(pattern);
  });

  it('no product source outside src-core/rules holds a second copy of a rule', async () => {
    const files = await productFiles();
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const lines = (await readFile(path.join(ROOT, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        // Comments may name a rule's values; code may not.
        if (/^\s*(\/\/|\/\*|\*|\{\/\*)/.test(line)) return;
        for (const { rule, pattern } of COPIES) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${rule}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('the lint rules that keep it so', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return (result?.messages ?? []).map((m) => `${m.line}: ${m.ruleId}`);
  };

  it('src-core/rules imports nothing but its own files and uses no process or page global', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import path from 'path';",
      "import { z } from 'zod';",
      "import { SnapDeskError } from '../errors';",
      "import { escapeUnsafe } from './unsafe-text';",
      'export const x = [readFile, path, z, SnapDeskError, escapeUnsafe, process.env, Buffer.alloc(1), window];',
    ].join('\n');
    const found = await problems('src-core/rules/probe.ts', code);
    for (const line of [1, 2, 3, 4]) expect(found).toContain(`${line}: no-restricted-imports`);
    expect(found.filter((p) => p.startsWith('5:'))).toEqual([]);
    expect(found.filter((p) => p === '6: no-restricted-globals')).toHaveLength(3);
  }, 60_000);

  it('the renderer takes from the core only the rules (by their index), the types and the errors', async () => {
    const code = [
      "import { escapeUnsafe } from '../src-core/rules';",
      "import type { Snapshot } from '../src-core/types';",
      "import { SnapDeskError } from '../src-core/errors';",
      "import { stripUnsafe } from '../src-core/rules/unsafe-text';",
      "import { openStore } from '../src-core/localfile';",
      'export const x: [unknown, Snapshot | null, unknown, unknown, unknown] = [escapeUnsafe, null, SnapDeskError, stripUnsafe, openStore];',
    ].join('\n');
    expect(await problems('renderer/probe.ts', code)).toEqual(['4: no-restricted-imports', '5: no-restricted-imports']);
  }, 60_000);

  it.each(['app', 'desktop', 'web'])('electron/%s imports the rules by their index', async (folder) => {
    const code = ["import { escapeUnsafe } from '../../src-core/rules';", "import { stripUnsafe } from '../../src-core/rules/unsafe-text';", 'export const x = [escapeUnsafe, stripUnsafe];'].join('\n');
    expect(await problems(`electron/${folder}/probe.ts`, code)).toEqual(['2: no-restricted-imports']);
  }, 60_000);
});
