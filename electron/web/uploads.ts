import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SnapDeskError } from '../../src-core/errors';
import { stripUnsafe, UPLOAD_FILE_NAME_HEADER } from '../../src-core/rules';
import type { ArchiveRegistry } from '../app/archive-registry';
import type { ArchiveRef, RouteInput } from '../app/contract';
import type { UploadBudget } from './upload-budget';

/** A display name from the client: the last path segment, no control or format characters, bounded. */
export function cleanFileName(raw: string): string {
  const name = stripUnsafe(basename(raw.replace(/\\/g, '/'))).slice(0, 255);
  if (name === '' || name === '.' || name === '..') throw new SnapDeskError('invalid_input', 'the upload has no file name');
  return name;
}

/** The file name an upload declares in its (URI-encoded) header. */
export function uploadedName(header: string | string[] | undefined): string {
  const raw = (Array.isArray(header) ? header[0] : header) ?? '';
  let decoded = '';
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Not valid URI encoding: treated as no name.
  }
  return cleanFileName(decoded);
}

/** The input of `uploads.send` as its request states it: the name header and the Content-Length. */
export function uploadRequestInput(req: IncomingMessage): { fileName: string; size: number } {
  const fileName = uploadedName(req.headers[UPLOAD_FILE_NAME_HEADER.toLowerCase()]);
  const lengthHeader = req.headers['content-length'];
  const size = lengthHeader === undefined ? NaN : Number(lengthHeader);
  if (!Number.isSafeInteger(size) || size < 0) throw new SnapDeskError('invalid_input', 'the upload must declare its Content-Length');
  return { fileName, size };
}

/** Passes exactly `limit` bytes and fails on more, so a client cannot write past what it declared. */
function byteLimit(limit: number, landed: (bytes: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) return cb(new SnapDeskError('invalid_input', 'the upload is longer than its Content-Length'));
      landed(chunk.length);
      cb(null, chunk);
    },
    flush(cb) {
      cb(seen === limit ? null : new SnapDeskError('invalid_input', `the upload ended after ${seen} of ${limit} bytes`));
    },
  });
}

/** Answers `uploads.check`: whether the batch would be taken, before a byte of it is sent. */
export async function checkUploads(input: RouteInput<'uploads.check'>, budget: UploadBudget): Promise<null> {
  await budget.check(input.files.map((f) => ({ name: cleanFileName(f.fileName), size: f.size })));
  return null;
}

/**
 * Streams a browser upload (the request body) into its own directory under
 * `uploadDir` and registers it, so preview, import and verify read it as
 * they read a dropped file on the desktop. The upload holds a slot and its
 * declared size of disk space while it arrives; anything partial is deleted.
 */
export async function receiveUpload(
  req: IncomingMessage,
  input: RouteInput<'uploads.send'>,
  uploadDir: string,
  archives: ArchiveRegistry,
  budget: UploadBudget,
  quietMs: number,
): Promise<ArchiveRef> {
  const name = cleanFileName(input.fileName);
  const reservation = await budget.reserve({ name, size: input.size });
  try {
    const dir = await mkdtemp(join(uploadDir, 'upload-'));
    const path = join(dir, 'archive');
    try {
      // Signed in, the connection has no idle limit; a body that stops arriving must not hold its slot and space for ever.
      req.socket.setTimeout(quietMs);
      await pipeline(req, byteLimit(input.size, reservation.landed), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      req.socket.setTimeout(0);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return await archives.addTemporary(path, name, dir);
  } finally {
    reservation.release();
  }
}
