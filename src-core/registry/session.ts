/**
 * Opening a registry session: the client with the credentials the docker
 * config holds for the host, and signing in and out (login checks the
 * credentials against the registry before anything is saved).
 */
import { RegistryClient } from './client';
import { loadCredentials, removeCredentials, saveCredentials, type Credentials } from './docker-config';

export interface SessionOptions {
  /** Use http:// even for a registry that is not on this machine. */
  plainHttp?: boolean;
  /** Where DOCKER_CONFIG and HOME come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export async function openRegistry(registry: string, opts: SessionOptions = {}): Promise<RegistryClient> {
  const credentials = await loadCredentials(registry, opts.env);
  return new RegistryClient({ registry, credentials, ...(opts.plainHttp ? { plainHttp: true } : {}) });
}

/** Checks the credentials with the registry (GET /v2/, token when asked), then stores them as docker login does. */
export async function login(registry: string, credentials: Credentials, opts: SessionOptions & { signal?: AbortSignal } = {}): Promise<void> {
  const client = new RegistryClient({ registry, credentials, ...(opts.plainHttp ? { plainHttp: true } : {}) });
  await client.ping(opts.signal);
  await saveCredentials(registry, credentials, opts.env);
}

export function logout(registry: string, opts: SessionOptions = {}): Promise<boolean> {
  return removeCredentials(registry, opts.env);
}
