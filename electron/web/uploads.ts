import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { SnapDeskError } from '../../src-core/errors';
import type { ArchiveRegistry } from '../app/archive-registry';
import { invalidInput } from '../app/handlers';
import type { ArchiveRef } from '../app/contract';

export const FILE_NAME_HEADER = 'x-snapdesk-file-name';

/** A display name from the client: the last path segment, no control characters, bounded. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const name = basename(raw.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
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

/** Passes exactly `limit` bytes and fails on more, so a client cannot write past what it declared. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(new SnapDeskError('invalid_input', 'the upload is longer than its Content-Length'));
      else cb(null, chunk);
    },
    flush(cb) {
      cb(seen === limit ? null : new SnapDeskError('invalid_input', `the upload ended after ${seen} of ${limit} bytes`));
    },
  });
}

/**
 * What an upload of `size` bytes would be refused for before any byte is
 * stored: over the limit, or more than the disk has free. The client asks
 * first (POST /api/archives/check), because a browser reports a refusal that
 * arrives while it is still sending the body only as a network error.
 */
export async function checkUploadFits(files: readonly { name: string; size: number }[], uploadRoot: string, maxBytes: number): Promise<void> {
  for (const { name, size } of files) {
    if (size > maxBytes) throw new SnapDeskError('invalid_input', `${name} is larger than the ${maxBytes}-byte upload limit`, { size, maxBytes });
  }
  // A batch is kept all or none, so it has to fit as a whole.
  const size = files.reduce((sum, f) => sum + f.size, 0);
  const fsStats = await statfs(uploadRoot);
  const free = fsStats.bavail * fsStats.bsize;
  if (size > free) {
    const what = files.length === 1 ? files[0]!.name : `${files.length} files`;
    throw new SnapDeskError('no_space', `not enough space in ${uploadRoot} for ${what} (${size} bytes needed, ${free} free)`, { size, free });
  }
}

/** The body of POST /api/archives/check: the files a batch of uploads is about to send. */
const uploadCheckInput = z
  .object({
    files: z
      .array(z.object({ fileName: z.string().min(1).max(4096), size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict())
      .min(1)
      .max(1000),
  })
  .strict();

/** Answers POST /api/archives/check: validates the body, then whether the batch would be taken. */
export async function checkUploadRequest(body: unknown, uploadRoot: string, maxBytes: number): Promise<null> {
  const parsed = uploadCheckInput.safeParse(body);
  if (!parsed.success) throw invalidInput('the upload check', parsed.error);
  await checkUploadFits(
    parsed.data.files.map((f) => ({ name: cleanFileName(f.fileName), size: f.size })),
    uploadRoot,
    maxBytes,
  );
  return null;
}

/**
 * Streams a browser upload (the request body) into its own directory under
 * `uploadRoot` and registers it, so preview, import and verify read it as
 * they read a dropped file on the desktop. Anything partial is deleted.
 */
export async function receiveUpload(req: IncomingMessage, uploadRoot: string, archives: ArchiveRegistry, maxBytes: number): Promise<ArchiveRef> {
  const name = uploadedName(req.headers[FILE_NAME_HEADER]);
  const lengthHeader = req.headers['content-length'];
  const size = lengthHeader === undefined ? NaN : Number(lengthHeader);
  if (!Number.isSafeInteger(size) || size < 0) throw new SnapDeskError('invalid_input', 'the upload must declare its Content-Length');
  await checkUploadFits([{ name, size }], uploadRoot, maxBytes);
  const dir = await mkdtemp(join(uploadRoot, 'upload-'));
  const path = join(dir, 'archive');
  try {
    await pipeline(req, byteLimit(size), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return archives.addTemporary(path, name, dir);
}
