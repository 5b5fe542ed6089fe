import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { ARCHIVE_READ_CHUNK } from '../../src-core/archive/archive-source';
import { SnapDeskError } from '../../src-core/errors';
import { ARCHIVE_EXTENSIONS_TEXT, isArchiveFileName } from '../../src-core/rules';
import type { ArchiveRef } from './contract';

export interface ArchiveEntry extends ArchiveRef {
  path: string;
  /** An uploaded copy owned by the app: deleted when released. */
  temporary: boolean;
  /** What to delete on release (the upload's own directory). */
  cleanupPath: string | null;
}


/** gzip magic, or "ustar" at the tar header's magic offset. */
export function looksLikeArchive(head: Buffer): boolean {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
  return head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Maps opaque archive IDs to files the user chose, dropped or uploaded, so the
 * renderer never names a path for main to read: it can only refer to what
 * went through a dialog, a drop, or an upload.
 */
export class ArchiveRegistry {
  private readonly entries = new Map<string, ArchiveEntry>();

  /** Checks every path first and registers none unless all are readable archives. */
  async register(paths: string[]): Promise<ArchiveRef[]> {
    const checked: { path: string; size: number }[] = [];
    const refused: string[] = [];
    for (const path of paths) {
      const reason = await this.check(path);
      if (typeof reason === 'string') refused.push(`${basename(path) || path}: ${reason}`);
      else checked.push({ path, size: reason.size });
    }
    if (refused.length > 0) {
      throw new SnapDeskError('invalid_input', `not a snapshot archive (${ARCHIVE_EXTENSIONS_TEXT}): ${refused.join('; ')}`, { refused });
    }
    return checked.map(({ path, size }) => this.add(path, size, null));
  }

  /**
   * Registers a copy the app made itself (a browser upload) under its
   * original name; `cleanupPath` (its own directory) is deleted on release,
   * or at once when the copy is not an archive.
   */
  async addTemporary(path: string, name: string, cleanupPath: string): Promise<ArchiveRef> {
    const reason = await this.check(path, name);
    if (typeof reason === 'string') {
      await rm(cleanupPath, { recursive: true, force: true });
      throw new SnapDeskError('invalid_input', `not a snapshot archive (${ARCHIVE_EXTENSIONS_TEXT}): ${name}: ${reason}`, { refused: [name] });
    }
    return this.add(path, reason.size, cleanupPath, name);
  }

  get(id: string): ArchiveEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new SnapDeskError('not_found', 'that archive is no longer available; choose or drop the file again', { archiveId: id });
    return entry;
  }

  /** Opens the archive for reading, re-checking it is still a regular file (it may have been swapped since). */
  async openStream(id: string): Promise<{ stream: Readable; size: number; entry: ArchiveEntry }> {
    const entry = this.get(id);
    const fh = await open(entry.path, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
      throw new SnapDeskError('io', `cannot open ${entry.name}: ${err.message}`, { errno: err.code ?? null }, { cause: err });
    });
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new SnapDeskError('invalid_input', `${entry.name} is no longer a regular file`);
    }
    return { stream: createReadStream('', { fd: fh, autoClose: true, highWaterMark: ARCHIVE_READ_CHUNK }), size: st.size, entry };
  }

  /** Forgets the archive; an uploaded copy is deleted. */
  async release(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.cleanupPath) await rm(entry.cleanupPath, { recursive: true, force: true });
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.release(id)));
  }

  private add(path: string, size: number, cleanupPath: string | null, name = basename(path)): ArchiveRef {
    const id = randomBytes(12).toString('base64url');
    this.entries.set(id, { id, name, size, path, temporary: cleanupPath !== null, cleanupPath });
    return { id, name, size };
  }

  private async check(path: string, name = path): Promise<{ size: number } | string> {
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})`;
    }
    if (!st.isFile()) return st.isDirectory() ? 'it is a folder' : 'it is not a regular file';
    let head: Buffer;
    try {
      head = await readHead(path);
    } catch (err) {
      return `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    }
    if (!isArchiveFileName(name) && !looksLikeArchive(head)) return 'it is neither gzip nor tar';
    return { size: st.size };
  }
}
