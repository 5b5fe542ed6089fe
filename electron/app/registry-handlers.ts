/**
 * The registry calls: preview (nothing written), pull and push as tasks in
 * the transfers panel, sign-in and sign-out (docker config), tags. The same
 * handlers serve the desktop IPC and the browser transport.
 */
import { SnapDeskError } from '../../src-core/errors';
import { LocalFileStore } from '../../src-core/localfile';
import { pushSnapshot } from '../../src-core/registry/push';
import { planPull, runPull } from '../../src-core/registry/pull';
import { formatRef, parseReference, parseRegistryHost } from '../../src-core/registry/reference';
import { login, logout, openRegistry } from '../../src-core/registry/session';
import type { SnapshotBackend } from '../../src-core/backend';
import type { CallInput, CallName, CallResult } from './contract';
import type { TaskManager } from './tasks';

type RegistryCall = Extract<CallName, `registry.${string}`>;
export type RegistryImpl = { [K in RegistryCall]: (input: CallInput<K>) => Promise<CallResult<K>> };

export interface RegistryHandlerContext {
  store(): SnapshotBackend;
  tasks: TaskManager;
  /** Where DOCKER_CONFIG and HOME are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Registry transfers read and write data directories directly: they need the localfile store. */
function localStore(store: SnapshotBackend): LocalFileStore {
  if (store instanceof LocalFileStore) return store;
  throw new SnapDeskError('invalid_input', `registry push and pull need a localfile store, not "${store.type()}"`);
}

export function registryHandlers(ctx: RegistryHandlerContext): RegistryImpl {
  const session = (registry: string, plainHttp?: boolean) => openRegistry(registry, { ...(ctx.env ? { env: ctx.env } : {}), ...(plainHttp ? { plainHttp } : {}) });
  return {
    'registry.preview': async ({ reference, name, plainHttp }) => {
      const target = parseReference(reference);
      const client = await session(target.registry, plainHttp);
      return (await planPull(client, target, localStore(ctx.store()), name ? { name } : {})).preview;
    },
    'registry.pull': async ({ reference, name, description, plainHttp }) => {
      const target = parseReference(reference);
      const store = localStore(ctx.store());
      const client = await session(target.registry, plainHttp);
      return ctx.tasks.start({
        kind: 'pull',
        title: `Pull ${formatRef(target)}`,
        run: async ({ signal, onProgress }) => {
          const plan = await planPull(client, target, store, { ...(name ? { name } : {}), signal });
          return { snapshotId: await runPull(client, plan, store, { ...(name ? { name } : {}), ...(description ? { description } : {}), signal, onProgress }) };
        },
      });
    },
    'registry.push': async ({ ref, target: targetText, plainHttp }) => {
      const target = parseReference(targetText, { allowDigest: false });
      const store = localStore(ctx.store());
      // Resolve first, so a bad ref fails before a task appears.
      const snapshot = await store.inspect(ref);
      const client = await session(target.registry, plainHttp);
      return ctx.tasks.start({
        kind: 'push',
        title: `Push ${snapshot.name || snapshot.id.slice(0, 8)} to ${formatRef(target)}`,
        run: async ({ signal, onProgress }) => {
          const result = await pushSnapshot(store, snapshot.id, target, client, { signal, onProgress });
          return { reference: result.reference, digest: result.digest };
        },
      });
    },
    'registry.login': async ({ registry, username, password, plainHttp }) => {
      await login(parseRegistryHost(registry), { username, password }, { ...(ctx.env ? { env: ctx.env } : {}), ...(plainHttp ? { plainHttp } : {}) });
    },
    'registry.logout': async ({ registry }) => ({ removed: await logout(parseRegistryHost(registry), ctx.env ? { env: ctx.env } : {}) }),
    'registry.tags': async ({ repository, plainHttp }) => {
      const target = parseReference(repository, { repositoryOnly: true });
      return (await session(target.registry, plainHttp)).listTags(target.repository);
    },
  };
}
