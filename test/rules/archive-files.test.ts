import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_ACCEPT,
  ARCHIVE_EXTENSIONS,
  ARCHIVE_EXTENSIONS_TEXT,
  dialogExtensions,
  exportFileName,
  isArchiveFileName,
  splitArchiveFiles,
  withArchiveExtension,
} from '../../src-core/rules';

describe('archive file names', () => {
  it('only .tgz, .tar.gz and .tar files count as archives, in any case', () => {
    expect(ARCHIVE_EXTENSIONS).toEqual(['.tgz', '.tar.gz', '.tar']);
    expect(isArchiveFileName('a.tgz')).toBe(true);
    expect(isArchiveFileName('A.TAR.GZ')).toBe(true);
    expect(isArchiveFileName('a.tar')).toBe(true);
    expect(isArchiveFileName('a.zip')).toBe(false);
    expect(isArchiveFileName('tar')).toBe(false);
    const { accepted, refused } = splitArchiveFiles([{ name: 'x.tgz' }, { name: 'notes.txt' }]);
    expect(accepted.map((f) => f.name)).toEqual(['x.tgz']);
    expect(refused.map((f) => f.name)).toEqual(['notes.txt']);
  });

  it('the same list reads as prose, feeds a file input and the file dialogs', () => {
    expect(ARCHIVE_EXTENSIONS_TEXT).toBe('.tgz, .tar.gz or .tar');
    expect(ARCHIVE_ACCEPT).toBe('.tgz,.tar.gz,.tar,application/gzip,application/x-tar');
    expect(dialogExtensions()).toEqual(['tgz', 'tar.gz', 'tar']);
    expect(dialogExtensions('gzip')).toEqual(['tgz', 'tar.gz']);
    expect(dialogExtensions('tar')).toEqual(['tar']);
  });
});

describe('export file names', () => {
  it('default to <name>.tgz, the ID for an unnamed snapshot, .tar without gzip', () => {
    expect(exportFileName({ id: 'ABC', name: 'web-golden' })).toBe('web-golden.tgz');
    expect(exportFileName({ id: 'ABC', name: '' })).toBe('ABC.tgz');
    expect(exportFileName({ id: 'ABC', name: 'raw' }, false)).toBe('raw.tar');
    expect(exportFileName({ name: '' })).toBe('snapshot.tgz');
  });

  it('are never a path and hold nothing a file system or a terminal refuses', () => {
    expect(exportFileName({ id: 'ABC', name: 'team/web' })).toBe('team_web.tgz');
    expect(exportFileName({ id: 'ABC', name: '../etc/pass:wd' })).toBe('_etc_pass_wd.tgz');
    expect(exportFileName({ id: 'ABC', name: 'a/b\\c:d*?"<>|\u0001' })).toBe('a_b_c_d_______.tgz');
    expect(exportFileName({ id: 'ABC', name: 'evil\u202egpj\u009b' })).toBe('evil_gpj_.tgz');
    expect(exportFileName({ id: 'ABC', name: '..' })).toBe('ABC.tgz');
  });

  it('a long name is cut to whole characters within 200 bytes of UTF-8', () => {
    const ascii = exportFileName({ id: 'ABC', name: 'x'.repeat(5000) });
    expect(ascii).toBe(`${'x'.repeat(200)}.tgz`);
    const wide = exportFileName({ id: 'ABC', name: '名'.repeat(100) }).replace(/\.tgz$/, '');
    expect(new TextEncoder().encode(wide).length).toBeLessThanOrEqual(200);
    expect(wide).toBe('名'.repeat(66));
  });

  it('the extension is added when the user typed a name without one', () => {
    expect(withArchiveExtension('/d/web')).toBe('/d/web.tgz');
    expect(withArchiveExtension('/d/web.tar.gz')).toBe('/d/web.tar.gz');
    expect(withArchiveExtension('/d/web.TGZ')).toBe('/d/web.TGZ');
    expect(withArchiveExtension('/d/web', false)).toBe('/d/web.tar');
    expect(withArchiveExtension('/d/web.tar', false)).toBe('/d/web.tar');
  });
});
