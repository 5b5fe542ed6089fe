/** The registry code's small parts: references, challenges, Go-style JSON, media types, index choice, the docker config. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSnapDeskError } from '../../src-core/errors';
import { encodeArtifactConfig, parseArtifactConfig, snapshotConfigOf } from '../../src-core/registry/artifact-config';
import { parseChallenge } from '../../src-core/registry/challenge';
import { DigestCache, digestCacheFile } from '../../src-core/registry/digest-cache';
import { loadCredentials, removeCredentials, saveCredentials } from '../../src-core/registry/docker-config';
import { goMarshal, goTime } from '../../src-core/registry/go-json';
import { encodeManifest, parseManifest, pickIndexChild } from '../../src-core/registry/manifest';
import { mediaTypeForFile } from '../../src-core/registry/media';
import { isLoopbackRegistry, parseReference, parseRegistryHost, registryBaseUrl } from '../../src-core/registry/reference';

describe('registry references', () => {
  it('parses host, repository, tag (default latest) and digest', () => {
    expect(parseReference('ghcr.io/team/web-golden')).toEqual({ registry: 'ghcr.io', repository: 'team/web-golden', tag: 'latest' });
    expect(parseReference('127.0.0.1:5000/a/b/c:v1.2_x')).toEqual({ registry: '127.0.0.1:5000', repository: 'a/b/c', tag: 'v1.2_x' });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`[::1]:5000/snap@${digest}`)).toEqual({ registry: '[::1]:5000', repository: 'snap', digest });
    expect(parseReference('localhost/x', { repositoryOnly: true })).toEqual({ registry: 'localhost', repository: 'x' });
  });

  it('refuses references without a host, with upper case, bad tags or digests, in words', () => {
    for (const bad of ['team/web', 'web', 'ghcr.io/Team/web', 'ghcr.io/web:-x', 'ghcr.io/web@sha256:abc', 'ghcr.io/', 'ghcr.io/a//b']) {
      const err = (() => {
        try {
          parseReference(bad);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(isSnapDeskError(err, 'invalid_ref'), bad).toBe(true);
      expect((err as Error).message).toContain('expected REGISTRY/REPOSITORY[:TAG]');
    }
    expect(() => parseReference(`h.io/a@sha256:${'0'.repeat(64)}`, { allowDigest: false })).toThrow(/a push names a tag/);
    expect(() => parseReference('h.io/a:v1', { repositoryOnly: true })).toThrow(/without a tag/);
    expect(parseRegistryHost('https://ghcr.io/')).toBe('ghcr.io');
    expect(() => parseRegistryHost('not a host')).toThrow(/not a registry host/);
  });

  it('uses plain HTTP for loopback registries only, unless forced', () => {
    for (const h of ['127.0.0.1:5000', '127.8.9.10', 'localhost:80', '[::1]:5000']) expect(isLoopbackRegistry(h), h).toBe(true);
    for (const h of ['ghcr.io', '128.0.0.1:5000', '10.0.0.1', '127.0.0.1.nip.io', 'localhost.example.com']) expect(isLoopbackRegistry(h), h).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('reg.lan:5000', true)).toBe('http://reg.lan:5000');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads Bearer realm, service and scope, and Basic', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Bearer realm="a\\"b", error=insufficient_scope')?.params).toEqual({ realm: 'a"b', error: 'insufficient_scope' });
    expect(parseChallenge(undefined)).toBeNull();
  });
});

describe("Go's JSON encoding", () => {
  it('sorts map keys by bytes, keeps struct order, escapes HTML characters and U+2028 as Go does', () => {
    const v = { b: 1, a: new Map([['10', true], ['9', false], ['Z', null]]), s: '<a&b>\u2028' };
    expect(goMarshal(v)).toBe('{"b":1,"a":{"10":true,"9":false,"Z":null},"s":"\\u003ca\\u0026b\\u003e\\u2028"}');
    expect(goMarshal({ x: [1, { y: [] }], e: new Map() }, '  ')).toBe('{\n  "x": [\n    1,\n    {\n      "y": []\n    }\n  ],\n  "e": {}\n}');
  });

  it('writes times as Go does: nanosecond precision with trailing zeros trimmed', () => {
    expect(goTime(Date.UTC(2026, 0, 2, 3, 4, 5, 120))).toBe('2026-01-02T03:04:05.12Z');
    expect(goTime(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05Z');
  });
});

describe('the artifact codec', () => {
  it('names layer media types as epoch does', () => {
    expect(['config.json', 'state.json', 'memory-ranges', 'cidata.img', 'overlay.qcow2', 'data-x.qcow2', 'cow.raw', 'cocoon.json', 'vmstate', 'raw'].map(mediaTypeForFile)).toEqual([
      'application/vnd.cocoonstack.vm.config+json',
      'application/vnd.cocoonstack.vm.state+json',
      'application/vnd.cocoonstack.vm.memory',
      'application/vnd.cocoonstack.vm.cidata',
      'application/vnd.cocoonstack.disk.qcow2',
      'application/vnd.cocoonstack.disk.qcow2',
      'application/vnd.cocoonstack.disk.raw',
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
    ]);
    expect(mediaTypeForFile('toString')).toBe('application/octet-stream');
  });

  it('writes the config blob with empty fields omitted and reads it back into a snapshot config', () => {
    const bytes = encodeArtifactConfig(
      { id: 'ABC', name: 'web', cpu: 2, memory: 0, windows: false, queue_size: 4, image_blob_ids: { ff: {}, aa: {} } },
      new Map([['b.raw', { mode: 0o640, sparseMap: '[{"o":0,"l":4096}]', sparseSize: 8192 }], ['a', { mode: 0o644 }]]),
      Date.UTC(2026, 1, 3, 4, 5, 6),
    );
    expect(bytes.toString()).toBe(
      '{"schemaVersion":"v1","snapshotId":"ABC","imageBlobIds":{"aa":{},"ff":{}},"cpu":2,"files":{"a":{"mode":420},"b.raw":{"mode":416,"sparseMap":"[{\\"o\\":0,\\"l\\":4096}]","sparseSize":8192}},"createdAt":"2026-02-03T04:05:06Z"}',
    );
    const parsed = parseArtifactConfig(bytes);
    expect(snapshotConfigOf(parsed, 'copy')).toEqual({ name: 'copy', id: 'ABC', cpu: 2, image_blob_ids: { aa: {}, ff: {} } });
    expect(() => parseArtifactConfig(Buffer.from('{"cpu":"two"}'))).toThrow(/"cpu" is not a non-negative integer/);
  });

  it('writes the manifest as MarshalIndent does and reads it back; picks index children as epoch does', () => {
    const d = `sha256:${'1'.repeat(64)}`;
    const bytes = encodeManifest({ mediaType: 'application/vnd.cocoonstack.snapshot.config.v1+json', digest: d, size: 10 }, [], Date.UTC(2026, 0, 1), 'ghcr.io/x/base:1');
    expect(bytes.toString()).toContain('"layers": [],\n  "annotations": {\n    "cocoonstack.snapshot.baseimage": "ghcr.io/x/base:1",\n    "org.opencontainers.image.created": "2026-01-01T00:00:00Z"\n  }\n}');
    const parsed = parseManifest(bytes);
    expect(parsed.kind).toBe('snapshot');
    const nullLayers = JSON.parse(bytes.toString()) as Record<string, unknown>;
    nullLayers.layers = null;
    expect(parseManifest(Buffer.from(JSON.stringify(nullLayers))).kind).toBe('snapshot');
    expect(pickIndexChild([{ digest: 'a', platform: { os: 'linux', architecture: 'arm64' } }, { digest: 'b', platform: { os: 'linux', architecture: 'amd64' } }])?.digest).toBe('b');
    expect(pickIndexChild([{ digest: 'a' }, { digest: 'u', platform: { architecture: 'unknown' } }, { digest: 'c', platform: { os: 'linux', architecture: 'arm64' } }])?.digest).toBe('c');
    expect(pickIndexChild([{ digest: 'a' }])).toBeNull();
  });
});

describe('the docker config file', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-dcfg-'));
    env = { DOCKER_CONFIG: dir, PATH: `${dir}:${process.env.PATH ?? ''}` };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads auth entries written under URL-style keys by older clients, and identity and registry tokens', async () => {
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: { 'https://reg.example.com/v1/': { auth: Buffer.from('u:p:with:colons').toString('base64') }, 'tok.example.com': { identitytoken: 'refresh', registrytoken: 'static' } } }),
    );
    expect(await loadCredentials('reg.example.com', env)).toEqual({ username: 'u', password: 'p:with:colons' });
    expect(await loadCredentials('tok.example.com', env)).toEqual({ identityToken: 'refresh', registryToken: 'static' });
    expect(await loadCredentials('other.example.com', env)).toBeNull();
  });

  it('hands secrets to a configured credential helper on stdin, never argv, and keeps an empty entry as docker does', async () => {
    const store = path.join(dir, 'helper-store.json');
    const log = path.join(dir, 'helper-argv.log');
    // A helper that keeps one secret in a file and logs its argv.
    await fs.writeFile(
      path.join(dir, 'docker-credential-testkeep'),
      `#!/bin/sh\necho "$@" >> ${log}\ninput=$(cat)\ncase "$1" in\n  store) printf '%s' "$input" > ${store} ;;\n  get) if [ -f ${store} ]; then cat ${store}; else echo "credentials not found in native keychain"; exit 1; fi ;;\n  erase) rm -f ${store} ;;\nesac\n`,
      { mode: 0o755 },
    );
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'testkeep' }));
    expect(await loadCredentials('reg.example.com', env)).toBeNull();
    await saveCredentials('reg.example.com', { username: 'alice', password: 'hunter2' }, env);
    expect(JSON.parse(await fs.readFile(store, 'utf8'))).toEqual({ ServerURL: 'reg.example.com', Username: 'alice', Secret: 'hunter2' });
    expect(JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8'))).toEqual({ credsStore: 'testkeep', auths: { 'reg.example.com': {} } });
    expect(await loadCredentials('reg.example.com', env)).toEqual({ username: 'alice', password: 'hunter2' });
    expect(await removeCredentials('reg.example.com', env)).toBe(true);
    expect((await fs.readFile(log, 'utf8')).split('\n').filter(Boolean)).toEqual(['get', 'store', 'get', 'erase']);
  });

  it('says which file is damaged instead of overwriting it', async () => {
    await fs.writeFile(path.join(dir, 'config.json'), '{not json');
    await expect(saveCredentials('r.io', { username: 'a', password: 'b' }, env)).rejects.toThrow(`${path.join(dir, 'config.json')} is not valid JSON`);
    expect(await fs.readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{not json');
  });
});

describe('the digest cache', () => {
  it('persists what a push learned for the next process, mode 0600, and shrugs off a damaged file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-dcache-'));
    try {
      const file = digestCacheFile({ XDG_CACHE_HOME: dir, HOME: '/nonexistent' }, 'linux');
      expect(file).toBe(path.join(dir, 'snapdesk', 'registry-digests.json'));
      const digest = `sha256:${'c'.repeat(64)}`;
      const first = new DigestCache(file);
      await first.remember('1:2:3:4:5:plain', digest, 'reg.io/a');
      await first.remember('1:2:3:4:5:plain', digest, 'reg.io/b');
      await first.save();
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const next = new DigestCache(file);
      expect(await next.digestOf('1:2:3:4:5:plain')).toBe(digest);
      expect(await next.repositoriesWith(digest)).toEqual(['reg.io/b', 'reg.io/a']);
      expect(await next.digestOf('1:2:3:4:6:plain')).toBeUndefined();
      await fs.writeFile(file, '{damaged');
      expect(await new DigestCache(file).digestOf('1:2:3:4:5:plain')).toBeUndefined();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
