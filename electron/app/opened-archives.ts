import type { ArchiveRef } from './contract';
import type { EventBus } from './events';

/**
 * Archives opened with the app. Until the renderer has taken the startup
 * batch it is not listening yet, so they wait here; after that each one goes
 * out at once as an `archives.opened` event.
 */
export class OpenedArchives {
  private pending: ArchiveRef[] | null = [];

  constructor(private readonly bus: EventBus) {}

  add(archives: ArchiveRef[]): void {
    if (archives.length === 0) return;
    if (this.pending) this.pending.push(...archives);
    else this.bus.emit('archives.opened', { archives });
  }

  take(): ArchiveRef[] {
    const taken = this.pending ?? [];
    this.pending = null;
    return taken;
  }
}
