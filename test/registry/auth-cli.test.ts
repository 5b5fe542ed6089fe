/**
 * The CLI against registries that want credentials: htpasswd Basic and
 * distribution's token mode (a test issuer signing JWTs), plus a static
 * bearer token. Credentials land in the docker config (mode 0600, docker's
 * base64 `auth`), never in output or errors.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src-core/cli/main';
import { htpasswdAvailable, registryAvailable, SKIP_REASON, startRegistry, type TestRegistry } from './helpers/registry-server';
import { makeSnapshot, tempStore, type TempStore } from './helpers/snapshots';
import { startTokenIssuer, type TokenIssuer } from './helpers/token-issuer';

const PASSWORD = 'pw-Sekr3t-never-shown';

async function cli(argv: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, stderrIsTTY: false, env });
  return { code, stdout: out, stderr: err };
}

interface Ctx {
  a: TempStore;
  b: TempStore;
  env: NodeJS.ProcessEnv;
  configDir: string;
}

async function setup(): Promise<Ctx> {
  const configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-dockercfg-'));
  return { a: await tempStore(), b: await tempStore(), configDir, env: { DOCKER_CONFIG: configDir, HOME: configDir } };
}

async function teardown(c: Ctx): Promise<void> {
  await c.a.cleanup();
  await c.b.cleanup();
  await fs.rm(c.configDir, { recursive: true, force: true });
}

/** Push with store A, pull with store B, list tags: the round trip every auth mode must carry. */
async function roundTrip(c: Ctx, host: string, repo: string): Promise<void> {
  await makeSnapshot(c.a.store, 'golden');
  const push = await cli(['--root', c.a.root, 'push', 'golden', `${host}/${repo}:v1`], c.env);
  expect(push.stderr).toMatch(/pushed golden to .*: 6 layers/);
  expect([push.code, push.stdout]).toEqual([0, expect.stringMatching(/^sha256:[a-f0-9]{64}\n$/)]);
  const pull = await cli(['--root', c.b.root, 'pull', `${host}/${repo}:v1`, '--name', 'copy'], c.env);
  expect([pull.code, pull.stderr]).toEqual([0, expect.stringContaining('→ "copy" (cloud-hypervisor, 2 CPU, 1 GiB memory')]);
  expect((await c.b.store.inspect(pull.stdout.trim())).name).toBe('copy');
  const tags = await cli(['tags', `${host}/${repo}`], c.env);
  expect([tags.code, tags.stdout]).toEqual([0, 'v1\n']);
  for (const r of [push, pull, tags]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
}

describe.skipIf(!registryAvailable || !htpasswdAvailable)(`registry auth through the CLI${registryAvailable ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup();
  });
  afterEach(async () => {
    await teardown(c);
  });

  describe('htpasswd Basic auth', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry({ mode: 'htpasswd', users: { alice: PASSWORD } });
    });
    afterAll(async () => {
      await registry?.stop();
    });

    it('refuses without sign-in, refuses a wrong password saving nothing, then saves docker-style credentials 0600 and round-trips', async () => {
      const anonymous = await cli(['tags', `${registry.host}/team/app`], c.env);
      expect([anonymous.code, anonymous.stderr]).toEqual([1, expect.stringContaining(`sign in with "snapdesk login ${registry.host}"`)]);

      const wrong = await cli(['login', registry.host, '-u', 'alice', '--password-stdin'], c.env, 'not-the-password\n');
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/refused access/);
      expect(wrong.stderr).not.toContain('not-the-password');
      await expect(fs.stat(path.join(c.configDir, 'config.json'))).rejects.toThrow();

      const ok = await cli(['login', registry.host, '-u', 'alice', '--password-stdin'], c.env, `${PASSWORD}\n`);
      expect([ok.code, ok.stderr]).toEqual([0, `signed in to ${registry.host}\n`]);
      const file = path.join(c.configDir, 'config.json');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { auths: Record<string, { auth: string }> };
      expect(Buffer.from(saved.auths[registry.host]!.auth, 'base64').toString()).toBe(`alice:${PASSWORD}`);

      await roundTrip(c, registry.host, 'team/app');

      const out = await cli(['logout', registry.host], c.env);
      expect([out.code, out.stderr]).toEqual([0, `signed out of ${registry.host}\n`]);
      expect((JSON.parse(await fs.readFile(file, 'utf8')) as { auths: object }).auths).toEqual({});
    });

    it('keeps the other entries and keys of an existing docker config when signing in', async () => {
      const file = path.join(c.configDir, 'config.json');
      await fs.writeFile(file, JSON.stringify({ auths: { 'ghcr.io': { auth: 'eDp5' } }, psFormat: 'table {{.ID}}' }));
      expect((await cli(['login', registry.host, '-u', 'alice', '--password-stdin'], c.env, PASSWORD)).code).toBe(0);
      const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { auths: Record<string, unknown>; psFormat: string };
      expect(Object.keys(saved.auths).sort()).toEqual(['ghcr.io', registry.host].sort());
      expect(saved.psFormat).toBe('table {{.ID}}');
    });
  });

  describe('token auth (distribution token mode with a test issuer)', () => {
    let issuer: TokenIssuer;
    let registry: TestRegistry;
    beforeAll(async () => {
      issuer = await startTokenIssuer({ bob: PASSWORD });
      registry = await startRegistry({ mode: 'token', realm: issuer.realm, service: issuer.service, issuer: issuer.issuer, certFile: issuer.certFile });
    });
    afterAll(async () => {
      await registry?.stop();
      await issuer?.stop();
    });

    it('anonymous gets no access, a wrong password is refused by the token service, signed in the scopes are asked for and the round trip works', async () => {
      const anonymous = await cli(['tags', `${registry.host}/tok/snap`], c.env);
      expect([anonymous.code, anonymous.stderr]).toEqual([1, expect.stringContaining('sign in')]);
      const wrong = await cli(['login', registry.host, '-u', 'bob', '--password-stdin'], c.env, 'nope');
      expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('refused the stored credentials')]);
      expect((await cli(['login', registry.host, '-u', 'bob', '--password-stdin'], c.env, PASSWORD)).code).toBe(0);
      issuer.requests.length = 0;
      await roundTrip(c, registry.host, 'tok/snap');
      const scopes = issuer.requests.flatMap((r) => r.query.getAll('scope'));
      expect(scopes).toContain('repository:tok/snap:pull,push');
      expect(scopes).toContain('repository:tok/snap:pull');
      expect(issuer.requests.every((r) => r.query.get('service') === issuer.service && r.authorized === 'bob')).toBe(true);
      expect(issuer.requests.map((r) => r.query.toString()).join('&')).not.toContain(PASSWORD);
    });

    it('a static bearer token saved with --token-stdin is sent as is', async () => {
      // A token minted directly, as an operator would hand one out.
      const auth = `Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`;
      const res = await fetch(`${issuer.realm}?service=${issuer.service}&scope=repository:static/snap:pull,push`, { headers: { Authorization: auth } });
      const { token } = (await res.json()) as { token: string };
      expect((await cli(['login', registry.host, '--token-stdin'], c.env, `${token}\n`)).code).toBe(0);
      issuer.requests.length = 0;
      await roundTrip(c, registry.host, 'static/snap');
      expect(issuer.requests).toEqual([]);
    });
  });
});
