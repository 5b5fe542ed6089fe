import { mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveRef, CallName, EventName, SnapdeskApi } from '../../../electron/app/contract';
import { desktopApp } from '../../electron/helpers/desktop-app';
import { describeApiScenarios } from './api-scenarios';

/**
 * The real handlers through the app context on a temporary store, called the
 * way the preload calls them (IPC envelopes, errors rebuilt from data); the
 * host's dialogs answer as the scenario says.
 */
describeApiScenarios('the real handlers on a temporary store', async () => {
  const app = await desktopApp();
  let drops = 0;
  let folders = 0;
  let saveAnswer: 'proposed' | 'cancel' = 'cancel';
  // The save dialog answers with the file name it proposed, in an empty folder of its own.
  Object.defineProperty(app.script, 'savePath', {
    get: () => {
      if (saveAnswer === 'cancel') return null;
      const out = join(app.dir, `export-${app.script.saveDefaults.length}`);
      mkdirSync(out, { recursive: true });
      return join(out, app.script.saveDefaults.at(-1) as string);
    },
  });
  const api: SnapdeskApi = {
    call: ((name: CallName, input?: unknown) => app.call(name, input)) as SnapdeskApi['call'],
    on: (event, listener) =>
      app.ctx.bus.subscribe((e: EventName, payload: unknown) => {
        if (e === event) listener(payload as never);
      }),
    // As the desktop does for a drop: the files are on disk, and their paths are registered.
    async registerFiles(files) {
      const paths: string[] = [];
      for (const f of files) {
        const dir = join(app.dir, 'dropped', String(++drops));
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, f.name), new Uint8Array(await f.arrayBuffer()));
        paths.push(join(dir, f.name));
      }
      return app.call('archives.register', { paths }) as Promise<ArchiveRef[]>;
    },
  };
  return {
    api,
    finish: (task) => app.ctx.tasks.wait(task.id),
    answerSave: (answer) => {
      saveAnswer = answer;
    },
    answerFolder: (answer) => {
      if (answer === 'cancel') {
        app.script.directory = null;
        return null;
      }
      const dir = join(app.dir, `chosen-store-${++folders}`);
      mkdirSync(dir);
      app.script.directory = dir;
      return dir;
    },
    close: () => app.close(),
  };
});
