/** The trash half of the renderer's fake API: moves snapshots between the fake's list and an in-memory trash. */
import type { TrashItem, TrashSettings, TrashSummary } from '../../electron/app/contract';
import { SnapDeskError } from '../../src-core/errors';
import type { SnapshotSummary } from '../../src-core/types';

export interface FakeTrashHost {
  list(): SnapshotSummary[];
  setList(list: SnapshotSummary[]): void;
  now(): number;
  changed(what: 'store' | 'trash'): void;
}

export class FakeTrash {
  items: (TrashItem & { summary: SnapshotSummary })[] = [];
  settings: TrashSettings = { retentionDays: 7, minFreeBytes: 2 * 1024 ** 3 };
  /** Free space on the fake disk, against the threshold above. */
  freeBytes = Number.MAX_SAFE_INTEGER;

  constructor(private readonly host: FakeTrashHost) {}

  summary(): TrashSummary {
    const items = [...this.items].sort((a, b) => Date.parse(b.deletedAt) - Date.parse(a.deletedAt)).map(({ summary: _s, ...i }) => i);
    return { items, totalSize: items.reduce((n, i) => n + i.size, 0), settings: { ...this.settings }, freeBytes: Math.min(this.freeBytes, 100 * 1024 ** 3) };
  }

  private find(ref: string): TrashItem & { summary: SnapshotSummary } {
    const item = this.items.find((i) => i.snapshot.id === ref || i.snapshot.name === ref);
    if (!item) throw new SnapDeskError('not_found', `nothing in the trash has the ID, name or ID prefix "${ref}"`, { ref });
    return item;
  }

  handle(name: string, arg: Record<string, unknown>): unknown {
    switch (name) {
      case 'trash.list':
        return this.summary();
      case 'trash.move': {
        const refs = arg.refs as string[];
        const chosen = refs.map((r) => {
          const s = this.host.list().find((x) => x.id === r || x.name === r);
          if (!s) throw new SnapDeskError('not_found', `snapshot not found: no snapshot has the ID, name or ID prefix "${r}"`, { ref: r });
          return s;
        });
        const ids = chosen.map((s) => s.id);
        this.host.setList(this.host.list().filter((s) => !ids.includes(s.id)));
        const deletedAt = new Date(this.host.now()).toISOString();
        const purgeAt = new Date(this.host.now() + this.settings.retentionDays * 86_400_000).toISOString();
        for (const s of chosen) {
          const { usage, ...snapshot } = s;
          this.items.push({ snapshot, deletedAt, purgeAt, size: usage?.allocated ?? 0, summary: s });
        }
        // As the real store: with free space under the threshold the oldest go at once.
        const purged: string[] = [];
        if (this.settings.minFreeBytes > this.freeBytes) {
          for (const id of ids) {
            this.items = this.items.filter((i) => i.snapshot.id !== id);
            purged.push(id);
          }
        }
        this.host.changed('store');
        this.host.changed('trash');
        return { trashed: ids, purged };
      }
      case 'trash.restore': {
        const item = this.find(String(arg.ref));
        const newName = (arg.name as string | undefined) ?? item.snapshot.name;
        const holder = newName === '' ? undefined : this.host.list().find((s) => s.name === newName);
        if (holder) {
          let n = 2;
          while (this.host.list().some((s) => s.name === `${newName}-${n}`)) n++;
          throw new SnapDeskError('name_conflict', `cannot restore "${newName}": a snapshot of that name exists now`, { name: newName, existingId: holder.id, suggestedName: `${newName}-${n}` });
        }
        this.items = this.items.filter((i) => i !== item);
        const restored = { ...item.summary, name: newName };
        this.host.setList([...this.host.list(), restored]);
        this.host.changed('store');
        this.host.changed('trash');
        const { usage: _u, ...snapshot } = restored;
        return snapshot;
      }
      case 'trash.deleteForever': {
        const ids = (arg.refs as string[]).map((r) => this.find(r).snapshot.id);
        this.items = this.items.filter((i) => !ids.includes(i.snapshot.id));
        this.host.changed('trash');
        return { deleted: ids };
      }
      case 'trash.empty': {
        const ids = this.items.map((i) => i.snapshot.id);
        this.items = [];
        this.host.changed('trash');
        return { deleted: ids };
      }
      case 'trash.setSettings':
        this.settings = { ...this.settings, ...(arg as Partial<TrashSettings>) };
        this.host.changed('trash');
        return { ...this.settings };
      default:
        throw new SnapDeskError('internal', `the fake trash does not know ${name}`);
    }
  }
}
