import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Settings } from './contract';

/** What the user saved; only the root for now. */
export interface StoredSettings {
  root?: string;
}

export interface RootSources {
  cli?: string;
  env?: string;
  setting?: string;
  defaultRoot: string;
}

/** Precedence: --root > SNAPDESK_ROOT > saved setting > default. */
export function resolveRootSetting(src: RootSources): Settings {
  const pick = (root: string, rootSource: Settings['rootSource']): Settings => ({ root: resolve(root), rootSource, defaultRoot: src.defaultRoot });
  if (src.cli) return pick(src.cli, 'cli');
  if (src.env) return pick(src.env, 'env');
  if (src.setting) return pick(src.setting, 'setting');
  return pick(src.defaultRoot, 'default');
}

/**
 * Settings persisted as JSON (desktop: under userData); without a file
 * (browser transport) changes last for the session only.
 */
export class SettingsStore {
  private stored: StoredSettings = {};
  private saving: Promise<void> = Promise.resolve();
  private current: Settings;

  private constructor(
    private readonly file: string | null,
    private readonly sources: Omit<RootSources, 'setting'>,
  ) {
    this.current = resolveRootSetting(sources);
  }

  static async load(file: string | null, sources: Omit<RootSources, 'setting'>): Promise<SettingsStore> {
    const s = new SettingsStore(file, sources);
    if (file) {
      try {
        const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
        if (parsed && typeof parsed === 'object' && typeof (parsed as StoredSettings).root === 'string' && isAbsolute((parsed as StoredSettings).root as string)) {
          s.stored = { root: (parsed as StoredSettings).root };
        }
      } catch (err) {
        // A missing or unreadable settings file means defaults, never a failed start.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`snapdesk: ignoring unreadable settings ${file}:`, err);
      }
    }
    s.current = resolveRootSetting({ ...sources, setting: s.stored.root });
    return s;
  }

  get(): Settings {
    return { ...this.current };
  }

  /** The user chose a root: it wins for this session and is saved for the next ones. */
  async setRoot(root: string): Promise<Settings> {
    this.stored = { ...this.stored, root: resolve(root) };
    await this.save();
    this.current = { root: resolve(root), rootSource: 'setting', defaultRoot: this.sources.defaultRoot };
    return this.get();
  }

  /** Forgets the saved root: back to --root, SNAPDESK_ROOT or the default. */
  async resetRoot(): Promise<Settings> {
    delete this.stored.root;
    await this.save();
    this.current = resolveRootSetting(this.sources);
    return this.get();
  }

  /** Saves run one after the other: two at once would share the temp file and one rename would fail. */
  private save(): Promise<void> {
    const next = this.saving.then(() => this.write());
    this.saving = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    if (!this.file) return;
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(this.stored, null, 2)}\n`);
    await rename(tmp, this.file);
  }
}
