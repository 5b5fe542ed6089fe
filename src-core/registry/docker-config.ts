/**
 * Credentials in the docker client's config file, read and written as
 * docker, oras and crane do: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json`, `auths[host].auth` = base64("user:password"),
 * optional `identitytoken` / `registrytoken`, and `credsStore` /
 * `credHelpers` naming a `docker-credential-*` program that keeps the secret
 * instead. Secrets travel to such a program on stdin, never in argv.
 * Unknown keys of the file are kept; it is written atomically, mode 0600.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapDeskError } from '../errors';

export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token a token server issued at login. */
  identityToken?: string;
  /** A bearer token sent as is (epoch's style of access). */
  registryToken?: string;
}

type AuthEntry = Record<string, unknown> & { auth?: string; identitytoken?: string; registrytoken?: string; username?: string; password?: string };
type ConfigFile = Record<string, unknown> & { auths?: Record<string, AuthEntry>; credsStore?: string; credHelpers?: Record<string, string> };

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : path.join(os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/** The key docker files a registry under. */
export const authKey = (registry: string): string => (registry === 'docker.io' || registry === 'index.docker.io' ? DOCKER_HUB_KEY : registry);

/** "https://host:5000/v1/" → "host:5000", as docker matches keys written by older clients. */
const keyHost = (key: string): string => key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? key;

async function readConfig(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as ConfigFile;
  } catch {
    throw new SnapDeskError('invalid_input', `${file} is not valid JSON; fix or remove it and sign in again`, { path: file });
  }
}

async function writeConfig(file: string, config: ConfigFile): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

function entryFor(config: ConfigFile, registry: string): AuthEntry | undefined {
  const auths = config.auths ?? {};
  const key = authKey(registry);
  if (auths[key]) return auths[key];
  for (const [k, v] of Object.entries(auths)) if (keyHost(k) === keyHost(key)) return v;
  return undefined;
}

const helperFor = (config: ConfigFile, registry: string): string | undefined => config.credHelpers?.[authKey(registry)] ?? config.credsStore;

/** Runs `docker-credential-<helper> <action>` with `input` on stdin. */
function runHelper(helper: string, action: 'get' | 'store' | 'erase', input: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'ignore'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new SnapDeskError('unauthorized', `the credential helper docker-credential-${helper} named in the docker config cannot be run (${err.code ?? err.message})`, { helper })),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
    child.stdin.end(input);
  });
}

/** What the docker config holds for `registry`, or null (anonymous). */
export async function loadCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | null> {
  const config = await readConfig(dockerConfigPath(env));
  const helper = helperFor(config, registry);
  if (helper) {
    const { code, stdout } = await runHelper(helper, 'get', authKey(registry), env);
    if (code === 0) {
      let got: { Username?: string; Secret?: string };
      try {
        got = JSON.parse(stdout) as typeof got;
      } catch {
        throw new SnapDeskError('unauthorized', `the credential helper docker-credential-${helper} answered something that is not JSON`, { helper });
      }
      if (got.Username === '<token>') return { identityToken: got.Secret ?? '' };
      return { username: got.Username ?? '', password: got.Secret ?? '' };
    }
    // Not found in the helper: docker falls back to nothing, and so do we.
  }
  const entry = entryFor(config, registry);
  if (!entry) return null;
  const creds: Credentials = {};
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new SnapDeskError('unauthorized', `the docker config's entry for ${registry} is damaged (no ":" in its auth); sign in again`, { registry });
    creds.username = decoded.slice(0, colon);
    creds.password = decoded.slice(colon + 1);
  } else if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    creds.username = entry.username;
    creds.password = entry.password;
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') creds.identityToken = entry.identitytoken;
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') creds.registryToken = entry.registrytoken;
  return Object.keys(creds).length > 0 ? creds : null;
}

/** Saves credentials as `docker login` does (helper when configured, else base64 auth in the file). */
export async function saveCredentials(registry: string, creds: Credentials, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = dockerConfigPath(env);
  const config = await readConfig(file);
  const key = authKey(registry);
  const helper = helperFor(config, registry);
  const auths = { ...(config.auths ?? {}) };
  if (helper && (creds.username !== undefined || creds.identityToken !== undefined)) {
    const username = creds.identityToken !== undefined ? '<token>' : (creds.username ?? '');
    const secret = creds.identityToken ?? creds.password ?? '';
    const { code } = await runHelper(helper, 'store', JSON.stringify({ ServerURL: key, Username: username, Secret: secret }), env);
    if (code !== 0) throw new SnapDeskError('unauthorized', `the credential helper docker-credential-${helper} refused to store the credentials for ${registry}`, { registry, helper });
    // docker keeps an empty entry so the registry shows up as signed in.
    auths[key] = {};
  } else {
    const entry: AuthEntry = {};
    if (creds.username !== undefined) entry.auth = Buffer.from(`${creds.username}:${creds.password ?? ''}`, 'utf8').toString('base64');
    if (creds.identityToken !== undefined) entry.identitytoken = creds.identityToken;
    if (creds.registryToken !== undefined) entry.registrytoken = creds.registryToken;
    auths[key] = entry;
  }
  await writeConfig(file, { ...config, auths });
}

/** Forgets a registry's credentials. Returns false when there were none. */
export async function removeCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = dockerConfigPath(env);
  const config = await readConfig(file);
  const helper = helperFor(config, registry);
  let removed = false;
  if (helper) removed = (await runHelper(helper, 'erase', authKey(registry), env)).code === 0;
  const auths = { ...(config.auths ?? {}) };
  for (const k of Object.keys(auths)) {
    if (keyHost(k) === keyHost(authKey(registry))) {
      delete auths[k];
      removed = true;
    }
  }
  if (removed) await writeConfig(file, { ...config, auths });
  return removed;
}
