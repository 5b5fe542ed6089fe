/**
 * Digests of data files already pushed, keyed by the file's identity on
 * disk (device, inode, size, times) and the layout of its entry. A blob's
 * digest is only known after reading it, so the first push streams each file
 * once and learns it; later pushes of the same unchanged file can ask the
 * registry first (HEAD) and mount it from a repository that has it.
 * In memory, per process: the app keeps it for its lifetime.
 */

export class DigestCache {
  private readonly digests = new Map<string, string>();
  private readonly homes = new Map<string, Set<string>>();

  digestOf(identity: string): string | undefined {
    return this.digests.get(identity);
  }

  /** Repositories ("registry/repo") known to hold `digest`. */
  repositoriesWith(digest: string): string[] {
    return [...(this.homes.get(digest) ?? [])];
  }

  remember(identity: string, digest: string, repository: string): void {
    this.digests.set(identity, digest);
    let set = this.homes.get(digest);
    if (!set) this.homes.set(digest, (set = new Set()));
    set.add(repository);
  }
}

export const sharedDigestCache = new DigestCache();
