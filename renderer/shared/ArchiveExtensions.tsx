import { Fragment } from 'react';
import { ARCHIVE_EXTENSIONS } from '../../src-core/rules';

/** The archive extensions as prose, each in code style: ".tgz, .tar.gz or .tar". */
export function ArchiveExtensions() {
  const last = ARCHIVE_EXTENSIONS.length - 1;
  return (
    <>
      {ARCHIVE_EXTENSIONS.map((ext, i) => (
        <Fragment key={ext}>
          {i === 0 ? '' : i === last ? ' or ' : ', '}
          <code>{ext}</code>
        </Fragment>
      ))}
    </>
  );
}
