/**
 * Digests of data files already pushed, keyed by the file's identity on
 * disk (device, inode, size, modification and change times, layout). A
 * blob's digest is only known after reading it, so the first push streams
 * each file once and learns it; later pushes of the same unchanged file ask
 * the registry first (HEAD) and mount it from a repository that has it.
 * The change time moves on every write and cannot be set back, so a stale
 * entry cannot name a file whose content changed.
 *
 * Kept in the user's cache directory (shared by the CLI and the app), as a
 * small JSON file rewritten atomically; a lost or damaged file only means
 * the next push uploads again.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Entry {
  digest: string;
  repositories: string[];
  usedAt: number;
}

/** Enough for thousands of snapshots; the least recently used entries go first. */
const MAX_ENTRIES = 20_000;
const MAX_REPOSITORIES = 16;

export class DigestCache {
  private readonly entries = new Map<string, Entry>();
  private loaded: Promise<void> | null = null;

  /** `file`: where the cache persists; null keeps it in memory only. */
  constructor(private readonly file: string | null = null) {}

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.file) return;
      try {
        const parsed: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
        const entries = (parsed as { entries?: Record<string, Entry> }).entries ?? {};
        for (const [k, e] of Object.entries(entries)) {
          if (typeof e?.digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(e.digest) && Array.isArray(e.repositories)) {
            this.entries.set(k, { digest: e.digest, repositories: e.repositories.filter((r) => typeof r === 'string'), usedAt: Number(e.usedAt) || 0 });
          }
        }
      } catch {
        // Missing or damaged: start empty.
      }
    })();
    return this.loaded;
  }

  async digestOf(identity: string): Promise<string | undefined> {
    await this.load();
    return this.entries.get(identity)?.digest;
  }

  /** Repositories ("registry/repo") known to hold `digest`. */
  async repositoriesWith(digest: string): Promise<string[]> {
    await this.load();
    const out = new Set<string>();
    for (const e of this.entries.values()) if (e.digest === digest) for (const r of e.repositories) out.add(r);
    return [...out];
  }

  async remember(identity: string, digest: string, repository: string): Promise<void> {
    await this.load();
    const had = this.entries.get(identity);
    const repositories = had?.digest === digest ? [repository, ...had.repositories.filter((r) => r !== repository)].slice(0, MAX_REPOSITORIES) : [repository];
    this.entries.delete(identity);
    this.entries.set(identity, { digest, repositories, usedAt: Date.now() });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Writes the cache (temp file and rename); failures are ignored, the cache is an optimization. */
  async save(): Promise<void> {
    if (!this.file) return;
    await this.load();
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await fs.writeFile(temp, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }), { mode: 0o600 });
      await fs.rename(temp, this.file);
    } catch {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

/** The per-user cache directory: $XDG_CACHE_HOME or ~/.cache (Linux), ~/Library/Caches (macOS), %LOCALAPPDATA% (Windows). */
export function digestCacheFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME && env.HOME !== '' ? env.HOME : os.homedir();
  const base =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Caches')
      : platform === 'win32'
        ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
        : env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : path.join(home, '.cache');
  return path.join(base, 'snapdesk', 'registry-digests.json');
}

const shared = new Map<string, DigestCache>();

/** One cache object per file in this process (the app pushes many times; each push sees the last one's digests). */
export function sharedDigestCache(env: NodeJS.ProcessEnv = process.env): DigestCache {
  const file = digestCacheFile(env);
  let cache = shared.get(file);
  if (!cache) shared.set(file, (cache = new DigestCache(file)));
  return cache;
}
