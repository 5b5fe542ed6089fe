/**
 * A real OCI registry for tests: Debian's docker-registry (CNCF
 * distribution 2.8) on 127.0.0.1 with a temporary config and storage
 * directory, anonymous, htpasswd Basic or token auth. Started and stopped
 * by the test; `available` says whether the binary is installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const registryAvailable = spawnSync(REGISTRY_BIN, ['--version']).status === 0;
export const htpasswdAvailable = spawnSync('htpasswd', ['-nbB', 'a', 'b']).status === 0;
export const SKIP_REASON = 'docker-registry (Debian package docker-registry) is not installed; .ci/run installs it';

export type RegistryAuthMode =
  | { mode: 'none' }
  | { mode: 'htpasswd'; users: Record<string, string> }
  | { mode: 'token'; realm: string; service: string; issuer: string; certFile: string };

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  storage: string;
  /** Path of a blob's data file in the registry's storage. */
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function authYaml(auth: RegistryAuthMode, dir: string): Promise<string> | string {
  if (auth.mode === 'none') return '';
  if (auth.mode === 'token') {
    return `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.certFile}\n`;
  }
  const lines = Object.entries(auth.users).map(([u, p]) => {
    const r = spawnSync('htpasswd', ['-Bbn', u, p], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
    return r.stdout.trim();
  });
  const file = path.join(dir, 'htpasswd');
  return fs.writeFile(file, `${lines.join('\n')}\n`).then(() => `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${file}\n`);
}

async function waitReady(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${await fs.readFile(logFile, 'utf8').catch(() => '')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('docker-registry did not start within 20 s');
}

export async function startRegistry(auth: RegistryAuthMode = { mode: 'none' }): Promise<TestRegistry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-registry-'));
  const storage = path.join(dir, 'storage');
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: snapdesk-test-secret',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'config.yml');
  await fs.writeFile(configFile, config + (await authYaml(auth, dir)));
  const logFile = path.join(dir, 'registry.log');
  const log = await fs.open(logFile, 'w');
  const child = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  try {
    await waitReady(port, child, logFile);
  } catch (err) {
    child.kill('SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    blobPath: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return path.join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
