/**
 * An in-process readers–writer lock, first come first served: a waiting
 * writer holds back readers that arrive after it, so a stream of list calls
 * cannot starve a delete.
 */
export type LockMode = 'shared' | 'exclusive';

interface Waiter {
  mode: LockMode;
  grant: () => void;
}

export class AsyncRWLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  /** Resolves with a release function once the lock is held in `mode`. */
  acquire(mode: LockMode): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push({ mode, grant: () => resolve(this.releaser(mode)) });
      this.pump();
    });
  }

  private releaser(mode: LockMode): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === 'exclusive') this.writer = false;
      else this.readers--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.mode === 'exclusive') {
        if (this.writer || this.readers > 0) return;
        this.writer = true;
      } else {
        if (this.writer) return;
        this.readers++;
      }
      this.queue.shift();
      next.grant();
    }
  }
}
